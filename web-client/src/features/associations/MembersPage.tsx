import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { type Schemas } from '../../api/client';
import { FormAlert } from '../../components/forms';
import { DataTable, usePaging } from '../../components/DataTable';
import type { Lang } from '../../i18n';
import { formatDate } from '../../lib/dates';
import { toPersianDigits } from '../../lib/digits';
import { EndMembershipDialog, MembershipHistoryDialog, keptOnRollsText } from './Endings';
import { ImportDialog } from '../../components/ImportDialog';
import { RegisterMemberDialog } from './RegisterMemberDialog';
import { useApproveMembership, useAssociation, useExportMembers, useMembers, useRefreshMembers, useRejectMembership } from './api';

const COLORS = { pending: 'primary', approved: 'success', rejected: 'default', left: 'default', removed: 'default' } as const;
const STATUSES = ['pending', 'approved', 'rejected', 'left', 'removed'] as const;

/** The association's admins review requests, find members, remove them with a reason and read each membership's history (AS-03, AS-04). */
export function MembersPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const { id = '' } = useParams();
  const [status, setStatus] = useState('pending');
  const [q, setQ] = useState('');
  const paging = usePaging();
  const { page, perPage, setPage } = paging;
  const [rejecting, setRejecting] = useState<Schemas['MemberDto'] | null>(null);
  const [reason, setReason] = useState('');
  const [dialog, setDialog] = useState<'import' | 'register' | null>(null);
  const [removing, setRemoving] = useState<Schemas['MemberDto'] | null>(null);
  const [historyOf, setHistoryOf] = useState<Schemas['MemberDto'] | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const association = useAssociation(id);
  const members = useMembers(id, { status, q, page, perPage });
  const refresh = useRefreshMembers(id);
  const approve = useApproveMembership(id);
  const reject = useRejectMembership(id, {
    onSuccess: () => {
      setRejecting(null);
      setReason('');
    },
  });
  const digits = (s: string) => (lang === 'fa' ? toPersianDigits(s) : s);
  // The export needs the bearer token, so it is fetched and handed to the browser as a file.
  const exportMembers = useExportMembers(id, {
    onSuccess: (blob) => {
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `members-${association.data?.code ?? id}.csv`;
      a.click();
      URL.revokeObjectURL(url);
    },
  });
  const failure = approve.error ?? exportMembers.error ?? members.error ?? null;
  return (
    <Stack spacing={2}>
      <Typography variant="h5" component="h1">
        {t('associations.membersTitle', { name: association.data?.name ?? '' })}
      </Typography>
      <FormAlert message={failure ? failure.message : null} />
      <FormAlert message={notice} severity="success" />
      <Paper variant="outlined" sx={{ p: 2 }}>
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
          <TextField id="members-status" select label={t('admin.status')} value={status} onChange={(e) => { setStatus(e.target.value); setPage(0); }} sx={{ minWidth: 180 }}>
            <MenuItem value="">{t('admin.all')}</MenuItem>
            {STATUSES.map((s) => (
              <MenuItem key={s} value={s}>
                {t(`associations.statuses.${s}`)}
              </MenuItem>
            ))}
          </TextField>
          <TextField id="members-search" label={t('associations.search')} value={q} onChange={(e) => { setQ(e.target.value); setPage(0); }} fullWidth />
          <Button variant="outlined" disabled={exportMembers.isPending} onClick={() => exportMembers.mutate({ status, q })} sx={{ whiteSpace: 'nowrap', flexShrink: 0 }}>
            {t('associations.export')}
          </Button>
        </Stack>
        <Stack direction="row" spacing={1} sx={{ mt: 2 }}>
          <Button variant="contained" onClick={() => setDialog('register')}>
            {t('associations.registerMember')}
          </Button>
          <Button variant="outlined" onClick={() => setDialog('import')}>
            {t('import.title')}
          </Button>
        </Stack>
      </Paper>
      {dialog === 'import' && <ImportDialog id={id} onClose={() => setDialog(null)} onImported={refresh} />}
      {dialog === 'register' && <RegisterMemberDialog id={id} qualifications={association.data?.qualifications ?? []} onClose={() => setDialog(null)} onDone={refresh} />}
      <Paper variant="outlined">
        <DataTable
          label={t('associations.membersTitle', { name: association.data?.name ?? '' })}
          testId="member-rows"
          rows={members.data?.items}
          rowKey={(m) => m.id}
          paging={{ ...paging, total: members.data?.total ?? 0, capped: members.data?.total_capped ?? false }}
          columns={[
            { header: t('associations.person'), cell: (m) => `${m.first_name} ${m.last_name}` },
            { header: t('associations.nationalCode'), dir: 'ltr', cell: (m) => digits(m.national_code) },
            { header: t('associations.field'), cell: (m) => `${m.field} — ${t(`associations.degrees.${m.degree_level}`)}` },
            { header: t('associations.requestedAt'), sx: { whiteSpace: 'nowrap' }, cell: (m) => formatDate(m.requested_at, lang) },
            { header: t('admin.status'), cell: (m) => <Chip size="small" color={COLORS[m.status]} label={t(`associations.statuses.${m.status}`)} /> },
            {
              header: '',
              sx: { whiteSpace: 'nowrap' },
              cell: (m) => (
                <>
                  {m.status === 'pending' && (
                    <>
                      <Button size="small" variant="contained" disabled={approve.isPending} onClick={() => approve.mutate(m.id)}>
                        {t('associations.approve')}
                      </Button>{' '}
                      <Button size="small" onClick={() => setRejecting(m)}>
                        {t('associations.reject')}
                      </Button>
                    </>
                  )}
                  {m.status === 'approved' && (
                    <Button size="small" color="error" onClick={() => setRemoving(m)}>
                      {t('associations.removeMember')}
                    </Button>
                  )}{' '}
                  <Button size="small" onClick={() => setHistoryOf(m)}>
                    {t('associations.history')}
                  </Button>
                </>
              ),
            },
          ]}
        />
      </Paper>
      {removing && (
        <EndMembershipDialog
          membership={removing.id}
          name={`${removing.first_name} ${removing.last_name}`}
          mode="remove"
          onClose={() => setRemoving(null)}
          onEnded={(ended) => {
            const name = `${removing.first_name} ${removing.last_name}`;
            setNotice([t('associations.removed', { name }), keptOnRollsText(t, ended)].filter(Boolean).join(' '));
            setRemoving(null);
            refresh();
          }}
        />
      )}
      {historyOf && <MembershipHistoryDialog membership={historyOf.id} name={`${historyOf.first_name} ${historyOf.last_name}`} onClose={() => setHistoryOf(null)} />}
      <Dialog open={Boolean(rejecting)} onClose={() => setRejecting(null)} fullWidth>
        <DialogTitle>{t('associations.rejectTitle')}</DialogTitle>
        <DialogContent>
          <Typography sx={{ mb: 2 }}>{rejecting ? `${rejecting.first_name} ${rejecting.last_name}` : ''}</Typography>
          <TextField id="reject-reason" label={t('associations.reason')} value={reason} onChange={(e) => setReason(e.target.value)} error={Boolean(reject.error)} helperText={reject.error?.message} fullWidth multiline minRows={2} />
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setRejecting(null)}>{t('admin.cancel')}</Button>
          <Button variant="contained" disabled={reject.isPending} onClick={() => rejecting && reject.mutate({ membership: rejecting.id, reason })}>
            {t('associations.reject')}
          </Button>
        </DialogActions>
      </Dialog>
    </Stack>
  );
}
