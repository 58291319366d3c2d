import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemButton from '@mui/material/ListItemButton';
import ListItemText from '@mui/material/ListItemText';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { ApiProblem, type Schemas } from '../../api/client';
import { useProvinces } from '../../api/reference';
import { useAuth } from '../../app/auth';
import { FormAlert, problemText } from '../../components/forms';
import { usePaging } from '../../components/DataTable';
import { Pager } from '../../components/Pager';
import type { Lang } from '../../i18n';
import { asDate, formatDate, formatDateTime } from '../../lib/dates';
import { toAsciiDigits } from '../../lib/digits';
import { formatRials } from '../../lib/money';
import { ImportDialog } from '../../components/ImportDialog';
import {
  engineerKeys,
  type EngineerRecord,
  useAssessRenewal,
  useRejectRenewal,
  useConfirmBirthProvince,
  useEngineerRecord,
  useEngineers,
  useEngineeringOrgs,
  useRenewalQueue,
  useUpdateOrg,
  useVerifyDegree,
} from './api';
import { LicenceTab } from './EngineerPage';

type QueueItem = Schemas['RenewalQueueItem'];
type Org = Schemas['EngineeringOrg'];

const useOrgs = useEngineeringOrgs;

/** The expert's assessment: the prior debt, with the amount it makes shown before sending. */
function AssessDialog({ item, org, onClose }: { item: QueueItem; org: Org | undefined; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const [debt, setDebt] = useState('0');
  const rials = Number(toAsciiDigits(debt.replace(/[,٬\s]/g, '')));
  const valid = /^[0-9]+$/.test(toAsciiDigits(debt.replace(/[,٬\s]/g, '')));
  const assess = useAssessRenewal(item.renewal.id, { onSuccess: onClose });
  // Or refuse it, saying why (the engineer is told and may ask again).
  const [reason, setReason] = useState('');
  const reject = useRejectRenewal(item.renewal.id, { onSuccess: onClose });
  const fee = org ? org.annual_fee_rials * org.renewal_years : 0;
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="xs" aria-labelledby="assess-title">
      <DialogTitle id="assess-title">{t('engineering.assess.title', { name: `${item.first_name} ${item.last_name}` })}</DialogTitle>
      <DialogContent>
        <FormAlert message={assess.error ? problemText(assess.error) : reject.error ? problemText(reject.error) : null} />
        <Typography sx={{ mb: 2 }}>{t('engineering.assess.intro')}</Typography>
        <TextField id="assess-debt" label={t('engineering.assess.debt')} value={debt} onChange={(e) => setDebt(e.target.value)} error={!valid} helperText={valid ? t('engineering.assess.debtHelp') : t('validation.required')} fullWidth slotProps={{ htmlInput: { dir: 'ltr', inputMode: 'numeric' } }} />
        {org && valid && (
          <Typography sx={{ mt: 2 }} data-testid="assess-total">
            {t('engineering.assess.total', { fee: formatRials(org.annual_fee_rials, lang), years: org.renewal_years, debt: formatRials(rials, lang), total: formatRials(fee + rials, lang) })}
          </Typography>
        )}
        <TextField id="reject-reason" label={t('engineering.assess.reason')} value={reason} onChange={(e) => setReason(e.target.value)} helperText={t('engineering.assess.reasonHelp')} fullWidth multiline minRows={2} sx={{ mt: 3 }} />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{t('admin.cancel')}</Button>
        <Button color="error" variant="outlined" disabled={!reason.trim() || reject.isPending} onClick={() => reject.mutate(reason.trim())}>
          {t('engineering.assess.reject')}
        </Button>
        <Button variant="contained" disabled={!valid || assess.isPending} onClick={() => assess.mutate(rials)}>
          {t('engineering.assess.send')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

function Queue({ province, org }: { province: string; org: Org | undefined }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const [status, setStatus] = useState('under_review');
  const [assessing, setAssessing] = useState<QueueItem | null>(null);
  const queue = useRenewalQueue(province, status);
  return (
    <Paper variant="outlined" sx={{ p: 2 }}>
      <TextField id="queue-status" select label={t('engineering.queue.status')} value={status} onChange={(e) => setStatus(e.target.value)} sx={{ minWidth: 220, mb: 2 }}>
        {['under_review', 'awaiting_payment', 'completed', 'rejected', 'all'].map((s) => (
          <MenuItem key={s} value={s}>
            {t(`engineering.statuses.${s}`)}
          </MenuItem>
        ))}
      </TextField>
      <FormAlert message={queue.error ? problemText(queue.error) : null} />
      <List aria-label={t('engineering.tabs.queue')}>
        {queue.data?.map((item) => (
          <ListItem
            key={item.renewal.id}
            divider
            secondaryAction={
              item.renewal.status === 'under_review' ? (
                <Button variant="contained" size="small" onClick={() => setAssessing(item)}>
                  {t('engineering.assess.open')}
                </Button>
              ) : (
                <Chip size="small" label={t(`engineering.statuses.${item.renewal.status}`)} />
              )
            }
          >
            <ListItemText
              primary={`${item.first_name} ${item.last_name} — ${item.national_code}`}
              secondary={`${t('engineering.queue.membership', { number: item.membership_number })} · ${t('engineering.queue.filed', { date: formatDateTime(item.renewal.created_at, lang) })}${item.renewal.amount_rials != null ? ` · ${formatRials(item.renewal.amount_rials, lang)}` : ''}`}
            />
          </ListItem>
        ))}
        {queue.data?.length === 0 && (
          <ListItem>
            <ListItemText primary={t('engineering.queue.empty')} />
          </ListItem>
        )}
      </List>
      {assessing && <AssessDialog item={assessing} org={org} onClose={() => setAssessing(null)} />}
    </Paper>
  );
}

/** The province of birth and where it comes from; an entered one is confirmed or corrected here. */
function BirthProvince({ record }: { record: EngineerRecord }) {
  const { t } = useTranslation();
  const provinces = useProvinces();
  const m = record.main;
  const [choice, setChoice] = useState(m.birth_province_id ?? '');
  const confirm = useConfirmBirthProvince(record.person_id);
  const name = (id: string | null | undefined) => provinces.data?.items.find((p) => p.id === id)?.name_fa ?? t('profile.none');
  if (m.birth_province_source === 'national_code') {
    return <Typography data-testid="birth-province">{t('engineering.birthProvince.fromCode', { province: name(m.birth_province_id), area: m.issuing_area ?? '' })}</Typography>;
  }
  return (
    <Stack spacing={1} data-testid="birth-province">
      <Alert severity={m.birth_province_source === 'confirmed' ? 'success' : 'warning'}>
        {m.birth_province_source === 'confirmed'
          ? t('engineering.birthProvince.confirmed', { province: name(m.birth_province_id) })
          : m.birth_province_source === 'entered'
            ? t('engineering.birthProvince.entered', { province: name(m.birth_province_id) })
            : t('engineering.birthProvince.unknown')}
      </Alert>
      <FormAlert message={confirm.error ? problemText(confirm.error) : null} />
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1}>
        <TextField id="confirm-birth-province" select size="small" label={t('engineers.birthProvince')} value={choice} onChange={(e) => setChoice(e.target.value)} sx={{ minWidth: 220 }}>
          {provinces.data?.items.map((p) => (
            <MenuItem key={p.id} value={p.id}>
              {p.name_fa}
            </MenuItem>
          ))}
        </TextField>
        <Button variant="outlined" disabled={!choice || confirm.isPending} onClick={() => confirm.mutate(choice)}>
          {t('engineering.birthProvince.confirm')}
        </Button>
      </Stack>
    </Stack>
  );
}

/** An engineer's record for the experts, with verification of degrees. */
function RecordDialog({ id, onClose }: { id: string; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const record = useEngineerRecord(id);
  const verify = useVerifyDegree(id);
  const r = record.data;
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="md" aria-labelledby="record-title">
      <DialogTitle id="record-title">{r ? `${r.first_name} ${r.last_name} — ${r.national_code}` : t('common.loading')}</DialogTitle>
      <DialogContent>
        <FormAlert message={record.error ? problemText(record.error) : verify.error ? problemText(verify.error) : null} />
        {r && (
          <Stack spacing={2}>
            <Typography>{/* The membership number «1-20-04512» is a code: isolated, left to right, in either language. */}
          <Trans i18nKey="engineers.summary" values={{ org: r.organisation.name, number: r.membership_number, date: formatDate(asDate(r.expires_on), lang) }} components={{ n: <bdi dir="ltr" data-testid="membership-number" /> }} /></Typography>
            {r.residence_proof.required && <Alert severity={r.residence_proof.provided ? 'success' : 'warning'}>{r.residence_proof.provided ? t('engineers.residenceProvided') : t('engineers.residenceNeeded')}</Alert>}
            <BirthProvince record={r} />
            <Typography variant="subtitle1" component="h3">
              {t('engineers.tabs.education')}
            </Typography>
            <List dense aria-label={t('engineers.tabs.education')}>
              {r.degrees.map((d) => (
                <ListItem
                  key={d.id}
                  secondaryAction={
                    d.verified ? (
                      <Chip size="small" color="success" label={t('engineers.degrees.verified')} />
                    ) : (
                      <Button size="small" variant="outlined" disabled={verify.isPending} onClick={() => verify.mutate(d.id)}>
                        {t('engineering.verifyDegree')}
                      </Button>
                    )
                  }
                >
                  <ListItemText primary={`${t(`engineers.levels.${d.level}`)} — ${t(`engineers.disciplines.${d.discipline}`)} (${d.orientation})`} secondary={`${d.university} · ${d.inquiry_code ?? t('engineering.letterInstead')}`} />
                </ListItem>
              ))}
            </List>
            <Typography variant="subtitle1" component="h3">
              {t('engineers.tabs.documents')}
            </Typography>
            <List dense aria-label={t('engineers.tabs.documents')}>
              {r.documents.map((d) => (
                <ListItem key={d.id}>
                  <ListItemText primary={`${d.title} — ${t(`engineers.documentKinds.${d.kind}`)}`} secondary={d.description} />
                </ListItem>
              ))}
              {r.documents.length === 0 && (
                <ListItem>
                  <ListItemText primary={t('engineers.documents.none')} />
                </ListItem>
              )}
            </List>
            <LicenceTab record={r} />
          </Stack>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{t('engineering.close')}</Button>
      </DialogActions>
    </Dialog>
  );
}

function Engineers({ province }: { province: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const [q, setQ] = useState('');
  const paging = usePaging();
  const [open, setOpen] = useState<string | null>(null);
  const [importing, setImporting] = useState(false);
  const queryClient = useQueryClient();
  const list = useEngineers(province, q, paging.page + 1, paging.perPage);
  return (
    <Paper variant="outlined" sx={{ p: 2 }}>
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ mb: 2 }}>
        <TextField id="engineer-search" label={t('engineering.search')} value={q} onChange={(e) => { setQ(e.target.value); paging.setPage(0); }} fullWidth />
        <Button variant="outlined" onClick={() => setImporting(true)} sx={{ whiteSpace: 'nowrap' }}>
          {t('engineering.import.open')}
        </Button>
      </Stack>
      <FormAlert message={list.error ? problemText(list.error) : null} />
      <List aria-label={t('engineering.tabs.engineers')}>
        {list.data?.items.map((e) => (
          <ListItem key={e.person_id} disablePadding divider>
            <ListItemButton onClick={() => setOpen(e.person_id)}>
              <ListItemText primary={`${e.first_name} ${e.last_name} — ${e.national_code}`} secondary={t('engineering.listLine', { number: e.membership_number, date: formatDate(asDate(e.expires_on), lang) })} />
            </ListItemButton>
          </ListItem>
        ))}
      </List>
      {list.data && (
        <Pager total={list.data.total} page={paging.page} perPage={paging.perPage} onPage={paging.setPage} onPerPage={paging.setPerPage} />
      )}
      {open && <RecordDialog id={open} onClose={() => setOpen(null)} />}
      {importing && (
        <ImportDialog<Schemas['EngineerImportReport']>
          path="/api/v1/engineers/import"
          template={null}
          title={t('engineering.import.title')}
          intro={t('engineering.import.intro')}
          onClose={() => setImporting(false)}
          onImported={() => void queryClient.invalidateQueries({ queryKey: engineerKeys.engineers })}
        />
      )}
    </Paper>
  );
}

function Settings({ org }: { org: Org }) {
  const { t } = useTranslation();
  const [v, setV] = useState({ name: org.name, renewal_window_days: String(org.renewal_window_days), annual_fee_rials: String(org.annual_fee_rials), renewal_years: String(org.renewal_years) });
  const [saved, setSaved] = useState(false);
  const save = useUpdateOrg(org.province_id, { onSuccess: () => setSaved(true) });
  const body = () => ({ name: v.name, renewal_window_days: Number(toAsciiDigits(v.renewal_window_days)), annual_fee_rials: Number(toAsciiDigits(v.annual_fee_rials.replace(/[,٬\s]/g, ''))), renewal_years: Number(toAsciiDigits(v.renewal_years)) });
  const err = (n: string) => (save.error instanceof ApiProblem ? save.error.fields[n]?.join(' ') : undefined);
  const set = (k: keyof typeof v) => (e: { target: { value: string } }) => {
    setSaved(false);
    setV({ ...v, [k]: e.target.value });
  };
  return (
    <Paper variant="outlined" sx={{ p: 2 }} component="form" onSubmit={(e) => { e.preventDefault(); save.mutate(body()); }}>
      <FormAlert message={save.error ? save.error.message : null} />
      <FormAlert message={saved ? t('engineers.saved') : null} severity="success" />
      <Stack spacing={2}>
        <TextField id="org-name" label={t('engineering.settings.name')} value={v.name} onChange={set('name')} error={Boolean(err('name'))} helperText={err('name')} />
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
          <TextField id="org-window" label={t('engineering.settings.window')} value={v.renewal_window_days} onChange={set('renewal_window_days')} error={Boolean(err('renewal_window_days'))} helperText={err('renewal_window_days') ?? t('engineering.settings.windowHelp')} fullWidth slotProps={{ htmlInput: { dir: 'ltr', inputMode: 'numeric' } }} />
          <TextField id="org-fee" label={t('engineering.settings.fee')} value={v.annual_fee_rials} onChange={set('annual_fee_rials')} error={Boolean(err('annual_fee_rials'))} helperText={err('annual_fee_rials')} fullWidth slotProps={{ htmlInput: { dir: 'ltr', inputMode: 'numeric' } }} />
          <TextField id="org-years" label={t('engineering.settings.years')} value={v.renewal_years} onChange={set('renewal_years')} error={Boolean(err('renewal_years'))} helperText={err('renewal_years')} fullWidth slotProps={{ htmlInput: { dir: 'ltr', inputMode: 'numeric' } }} />
        </Stack>
        <Button type="submit" variant="contained" disabled={save.isPending} sx={{ alignSelf: 'flex-start' }}>
          {t('engineers.save')}
        </Button>
      </Stack>
    </Paper>
  );
}

/** The province's organisation (EN-01, EN-02): the renewal queue, its engineers, its rules. */
export function ExpertPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const orgs = useOrgs();
  const provinces = (me?.grants ?? []).filter((g) => g.role === 'engineering_admin' && g.scope_id).map((g) => g.scope_id as string);
  const [chosen, setChosen] = useState<string | null>(null);
  const [tab, setTab] = useState('queue');
  const province = chosen ?? provinces[0];
  if (!province) return <Alert severity="info">{t('engineering.notExpert')}</Alert>;
  const org = orgs.data?.find((o) => o.province_id === province);
  return (
    <Stack spacing={2}>
      <Typography variant="h5" component="h1">
        {org?.name ?? t('engineering.title')}
      </Typography>
      {provinces.length > 1 && (
        <TextField id="expert-province" select label={t('officers.province')} value={province} onChange={(e) => setChosen(e.target.value)} sx={{ maxWidth: 320 }}>
          {provinces.map((p) => (
            <MenuItem key={p} value={p}>
              {orgs.data?.find((o) => o.province_id === p)?.name ?? p}
            </MenuItem>
          ))}
        </TextField>
      )}
      <Tabs value={tab} onChange={(_, v: string) => setTab(v)} aria-label={t('engineering.title')}>
        {['queue', 'engineers', 'settings'].map((k) => (
          <Tab key={k} value={k} label={t(`engineering.tabs.${k}`)} id={`expert-tab-${k}`} aria-controls={`expert-panel-${k}`} />
        ))}
      </Tabs>
      <div role="tabpanel" id={`expert-panel-${tab}`} aria-labelledby={`expert-tab-${tab}`}>
        {tab === 'queue' && <Queue province={province} org={org} />}
        {tab === 'engineers' && <Engineers province={province} />}
        {tab === 'settings' && org && <Settings key={org.province_id} org={org} />}
      </div>
    </Stack>
  );
}
