import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemText from '@mui/material/ListItemText';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Schemas } from '../../api/client';
import { useProvinces } from '../../api/reference';
import { useAuth } from '../../app/auth';
import { FormAlert, problemText } from '../../components/forms';
import { DataTable, usePaging } from '../../components/DataTable';
import type { Lang } from '../../i18n';
import { formatDate, formatDateTime } from '../../lib/dates';
import { toPersianDigits } from '../../lib/digits';
import { useChangeStanding, useQualifiedOfficers, useStandingHistory } from './api';

type Officer = Schemas['QualifiedOfficer'];
type Action = Schemas['StandingAction'];

const COLORS = { active: 'success', suspended: 'error', revoked: 'error' } as const;
// Outlined for a suspension (it may be lifted), filled for a revocation; both keep AA contrast.
const VARIANTS = { active: 'filled', suspended: 'outlined', revoked: 'filled' } as const;
const STANDINGS = ['active', 'suspended', 'revoked'] as const;

/** The actions open to the directorate from a standing (a revocation is final). */
function actionsFrom(standing: Officer['standing']): Action[] {
  if (standing === 'active') return ['suspend', 'revoke'];
  if (standing === 'suspended') return ['reinstate', 'revoke'];
  return [];
}

/**
 * The register of qualified technical officers: the directorate searches every province and
 * suspends, reinstates or revokes a qualification with a reason; a university's reviewers read
 * their province's. Each officer's standing history is one click away.
 */
export function QualifiedOfficersPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const { me } = useAuth();
  const directorate = Boolean(me?.grants.some((g) => g.role === 'directorate_admin'));
  const [q, setQ] = useState('');
  const [standing, setStanding] = useState('');
  const paging = usePaging();
  const { page, perPage, setPage } = paging;
  const [acting, setActing] = useState<{ officer: Officer; action: Action } | null>(null);
  const [historyOf, setHistoryOf] = useState<Officer | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const places = useProvinces();
  const list = useQualifiedOfficers({ q, standing, page, perPage });
  const province = (id: string) => places.data?.items.find((p) => p.id === id)?.name_fa ?? id;
  const digits = (s: string) => (lang === 'fa' ? toPersianDigits(s) : s);
  const name = (o: Officer) => `${o.first_name} ${o.last_name}`;
  return (
    <Stack spacing={2}>
      <Typography variant="h5" component="h1">
        {t('qualified.title')}
      </Typography>
      <FormAlert message={list.error ? list.error.message : null} />
      <FormAlert message={notice} severity="success" />
      <Paper variant="outlined" sx={{ p: 2 }}>
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
          <TextField id="qualified-search" label={t('qualified.search')} value={q} onChange={(e) => { setQ(e.target.value); setPage(0); }} fullWidth />
          <TextField id="qualified-standing" select label={t('qualified.standing')} value={standing} onChange={(e) => { setStanding(e.target.value); setPage(0); }} sx={{ minWidth: 180 }}>
            <MenuItem value="">{t('admin.all')}</MenuItem>
            {STANDINGS.map((s) => (
              <MenuItem key={s} value={s}>
                {t(`qualified.standings.${s}`)}
              </MenuItem>
            ))}
          </TextField>
        </Stack>
      </Paper>
      <Paper variant="outlined">
        <DataTable
          label={t('qualified.title')}
          testId="qualified-rows"
          rows={list.data?.items}
          rowKey={(o) => o.person_id}
          paging={{ ...paging, total: list.data?.total ?? 0 }}
          columns={[
            { header: t('associations.person'), cell: (o) => name(o) },
            { header: t('associations.nationalCode'), dir: 'ltr', cell: (o) => digits(o.national_code) },
            { header: t('qualified.province'), cell: (o) => province(o.province_id) },
            { header: t('associations.field'), cell: (o) => `${o.field} — ${t(`associations.degrees.${o.degree_level}`, { defaultValue: o.degree_level })}` },
            { header: t('qualified.qualifiedAt'), sx: { whiteSpace: 'nowrap' }, cell: (o) => (o.qualified_at ? formatDate(o.qualified_at, lang) : '—') },
            { header: t('qualified.standing'), cell: (o) => <Chip size="small" color={COLORS[o.standing]} variant={VARIANTS[o.standing]} label={t(`qualified.standings.${o.standing}`)} /> },
            {
              header: '',
              sx: { whiteSpace: 'nowrap' },
              cell: (o) => (
                <>
                  {directorate &&
                    actionsFrom(o.standing).map((action) => (
                      <Button key={action} size="small" color={action === 'reinstate' ? 'primary' : 'error'} onClick={() => setActing({ officer: o, action })}>
                        {t(`qualified.${action}`)}
                      </Button>
                    ))}
                  <Button size="small" onClick={() => setHistoryOf(o)}>
                    {t('qualified.history')}
                  </Button>
                </>
              ),
            },
          ]}
        />
      </Paper>
      {acting && (
        <StandingDialog
          officer={acting.officer}
          action={acting.action}
          onClose={() => setActing(null)}
          onDone={(changed) => {
            setNotice(t('qualified.done', { name: name(changed.officer), standing: t(`qualified.standings.${changed.officer.standing}`), ended: digits(String(changed.cooperations_ended)) }));
            setActing(null);
          }}
        />
      )}
      {historyOf && <StandingHistoryDialog officer={historyOf} onClose={() => setHistoryOf(null)} />}
    </Stack>
  );
}

/** Confirms a change of standing with its reason (3 to 500 characters); nothing changes until confirmed. */
function StandingDialog({ officer, action, onClose, onDone }: { officer: Officer; action: Action; onClose: () => void; onDone: (c: Schemas['StandingChanged']) => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const change = useChangeStanding(officer.person_id, { onSuccess: onDone });
  const name = `${officer.first_name} ${officer.last_name}`;
  return (
    <Dialog open onClose={onClose} fullWidth aria-labelledby="standing-title">
      <DialogTitle id="standing-title">{t(`qualified.actionTitle.${action}`, { name })}</DialogTitle>
      <DialogContent>
        <Alert severity={action === 'reinstate' ? 'info' : 'warning'} sx={{ mb: 2 }}>
          {t(`qualified.warning.${action}`)}
        </Alert>
        <TextField
          id="standing-reason"
          label={t('qualified.reason')}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          required
          error={Boolean(change.error)}
          helperText={change.error ? problemText(change.error) : null}
          slotProps={{ htmlInput: { maxLength: 500 } }}
          fullWidth
          multiline
          minRows={2}
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{t('admin.cancel')}</Button>
        <Button variant="contained" color={action === 'reinstate' ? 'primary' : 'error'} disabled={change.isPending || reason.trim().length < 3} onClick={() => change.mutate({ action, reason })}>
          {t(`qualified.${action}`)}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

function StandingHistoryDialog({ officer, onClose }: { officer: Officer; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const history = useStandingHistory(officer.person_id);
  return (
    <Dialog open onClose={onClose} fullWidth aria-labelledby="standing-history-title">
      <DialogTitle id="standing-history-title">{t('qualified.historyTitle', { name: `${officer.first_name} ${officer.last_name}` })}</DialogTitle>
      <DialogContent>
        <FormAlert message={history.error ? history.error.message : null} />
        {history.data?.items.length === 0 && <Typography color="text.secondary">{t('qualified.noHistory')}</Typography>}
        <List dense data-testid="standing-history">
          {history.data?.items.map((h, i) => (
            <ListItem key={i} disableGutters>
              <ListItemText primary={`${t(`qualified.standings.${h.standing}`)} — ${formatDateTime(h.at, lang)}`} secondary={[h.by ? t('qualified.historyBy', { name: h.by }) : null, h.reason].filter(Boolean).join(' · ')} />
            </ListItem>
          ))}
        </List>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{t('admin.close')}</Button>
      </DialogActions>
    </Dialog>
  );
}
