import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiProblem, type Schemas } from '../../api/client';
import { FormAlert } from '../../components/forms';
import { DataTable, usePaging } from '../../components/DataTable';
import type { Lang } from '../../i18n';
import { toPersianDigits } from '../../lib/digits';
import { useAssociationList } from '../../api/reference';
import { grantLabel } from '../profile';
import { useDisablePerson, useEnablePerson, usePeople } from './api';

type Person = Schemas['PersonAdminDto'];

/** The commission's register of people: search, roles, and disabling or re-enabling an account. */
export function PeoplePage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const [q, setQ] = useState('');
  const paging = usePaging();
  const { page, perPage, setPage } = paging;
  const [disabling, setDisabling] = useState<Person | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const people = usePeople(q, page, perPage);
  const enable = useEnablePerson({ onSuccess: () => setNotice(t('accounts.enabled')) });
  const n = (v: string) => (lang === 'fa' ? toPersianDigits(v) : v);
  // Association-scoped roles are named by their association, not shown by id.
  const associations = useAssociationList();
  const names = Object.fromEntries((associations.data?.items ?? []).map((a) => [a.id, a.name]));

  return (
    <Stack spacing={2}>
      <Typography variant="h5" component="h1">
        {t('accounts.peopleTitle')}
      </Typography>
      <FormAlert message={notice} severity="success" />
      <FormAlert message={enable.error ? enable.error.message : people.error ? people.error.message : null} />
      <Paper variant="outlined" sx={{ p: 2 }}>
        <TextField id="people-search" label={t('accounts.search')} value={q} onChange={(e) => { setQ(e.target.value); setPage(0); }} fullWidth />
      </Paper>
      <Paper variant="outlined">
        <DataTable
          label={t('accounts.peopleTitle')}
          testId="people-rows"
          rows={people.data?.items}
          rowKey={(p) => p.id}
          paging={{ ...paging, total: people.data?.total ?? 0 }}
          columns={[
            { header: t('accounts.person'), cell: (p) => `${p.first_name} ${p.last_name}` },
            { header: t('accounts.nationalCode'), dir: 'ltr', cell: (p) => n(p.national_code) },
            { header: t('accounts.roles'), sx: { fontSize: 13 }, cell: (p) => p.grants.map((g) => grantLabel(g, t, names)).join('، ') || '—' },
            {
              header: t('accounts.account'),
              cell: (p) => (
                <>
                  {!p.has_account ? (
                    <Chip size="small" label={t('accounts.recordOnly')} />
                  ) : p.disabled ? (
                    <Chip size="small" color="error" label={t('accounts.disabled')} title={p.disabled_reason ?? undefined} />
                  ) : (
                    <Chip size="small" color="success" label={t('accounts.active')} />
                  )}
                  {p.disabled && p.disabled_reason && (
                    <Typography variant="caption" sx={{ display: 'block' }}>
                      {p.disabled_reason}
                    </Typography>
                  )}
                </>
              ),
            },
            {
              header: '',
              cell: (p) =>
                p.has_account &&
                (p.disabled ? (
                  <Button size="small" disabled={enable.isPending} onClick={() => { setNotice(null); enable.mutate(p.id); }}>
                    {t('accounts.enable')}
                  </Button>
                ) : (
                  <Button size="small" color="error" onClick={() => { setNotice(null); setDisabling(p); }}>
                    {t('accounts.disable')}
                  </Button>
                )),
            },
          ]}
        />
      </Paper>
      {disabling && (
        <DisableDialog
          person={disabling}
          onClose={() => setDisabling(null)}
          onDone={() => {
            setDisabling(null);
            setNotice(t('accounts.disabledNotice'));
          }}
        />
      )}
    </Stack>
  );
}

function DisableDialog({ person, onClose, onDone }: { person: Person; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const disable = useDisablePerson(person.id, { onSuccess: onDone });
  const fieldError = disable.error instanceof ApiProblem ? disable.error.fields.reason?.join(' ') : undefined;
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="sm">
      <DialogTitle>{t('accounts.disable')}</DialogTitle>
      <DialogContent>
        <Stack spacing={2}>
          <DialogContentText>{t('accounts.disableConfirm', { name: `${person.first_name} ${person.last_name}` })}</DialogContentText>
          <FormAlert message={disable.error && !fieldError ? disable.error.message : null} />
          <TextField id="disable-reason" label={t('accounts.reason')} value={reason} onChange={(e) => setReason(e.target.value)} error={Boolean(fieldError)} helperText={fieldError} multiline minRows={2} required />
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{t('admin.cancel')}</Button>
        <Button variant="contained" color="error" disabled={disable.isPending || !reason.trim()} onClick={() => disable.mutate(reason)}>
          {t('accounts.disable')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
