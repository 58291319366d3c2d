import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemButton from '@mui/material/ListItemButton';
import ListItemText from '@mui/material/ListItemText';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink, useParams } from 'react-router';
import MenuItem from '@mui/material/MenuItem';
import type { Schemas } from '../../api/client';
import { useProvinces } from '../../api/reference';
import { useAuth } from '../../app/auth';
import { toAsciiDigits } from '../../lib/digits';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { FormAlert, problemText } from '../../components/forms';
import type { Lang } from '../../i18n';
import { formatDateTime } from '../../lib/dates';
import { formatRials } from '../../lib/money';
import { useOfficerFields, useReplaceOfficerFields } from '../officers';
import { type Decision as RequestDecision, useCooperationQueue, useDecideCooperation, useDecideRequest, useGrantReviewer, useReviewQueue, useReviewRequest } from './api';

type Filter = 'new' | 'returned' | 'deficient' | 'awaiting_payment' | 'decided' | 'cooperation';

/** Cooperation requests the officers accepted, for the university to decide (DI-03). */
function CooperationQueue() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const queue = useCooperationQueue();
  const [rejecting, setRejecting] = useState<string | null>(null);
  const [approving, setApproving] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const decide = useDecideCooperation({
    onSuccess: () => {
      setRejecting(null);
      setApproving(null);
      setReason('');
    },
  });
  return (
    <Stack spacing={2}>
      <FormAlert message={problemText(decide.error ?? queue.error)} />
      {queue.data?.items.length === 0 && <Typography color="text.secondary">{t('reviews.empty')}</Typography>}
      <Paper variant="outlined">
        <List data-testid="cooperation-queue">
          {queue.data?.items.map((c) => (
            <ListItem key={c.id} sx={{ display: 'block' }}>
              <ListItemText primary={`${c.officer.name} → ${c.distributor_name}، ${c.branch.name}`} secondary={`${c.branch.address} · ${formatDateTime(c.updated_at, lang)}`} />
              <Stack direction="row" spacing={1}>
                <Button size="small" variant="contained" color="success" onClick={() => setApproving(c.id)}>
                  {t('reviews.approve')}
                </Button>
                <Button size="small" color="error" onClick={() => setRejecting(c.id)}>
                  {t('reviews.reject')}
                </Button>
              </Stack>
            </ListItem>
          ))}
        </List>
      </Paper>
      {approving && (
        <ConfirmDialog title={t('reviews.approve')} text={t('cooperation.approveText')} confirm={t('reviews.approve')} busy={decide.isPending} onConfirm={() => decide.mutate({ id: approving, approve: true })} onCancel={() => setApproving(null)} />
      )}
      {rejecting && (
        <Dialog open onClose={() => setRejecting(null)} fullWidth>
          <DialogTitle>{t('reviews.reject')}</DialogTitle>
          <DialogContent>
            <TextField id="cooperation-reason" label={t('reviews.reason')} value={reason} onChange={(e) => setReason(e.target.value)} fullWidth multiline sx={{ mt: 1 }} />
          </DialogContent>
          <DialogActions>
            <Button onClick={() => setRejecting(null)}>{t('admin.cancel')}</Button>
            <Button color="error" variant="contained" disabled={decide.isPending || !reason.trim()} onClick={() => decide.mutate({ id: rejecting, approve: false, reason })}>
              {t('reviews.reject')}
            </Button>
          </DialogActions>
        </Dialog>
      )}
    </Stack>
  );
}

/** The directorate's settings: the universities' reviewers and the fields and degrees that qualify. */
function DirectorateSettings() {
  const { t } = useTranslation();
  const places = useProvinces();
  const fields = useOfficerFields();
  const [province, setProvince] = useState('');
  const [code, setCode] = useState('');
  const [list, setList] = useState<string | null>(null);
  const grant = useGrantReviewer(province, { onSuccess: () => setCode('') });
  const text = list ?? (fields.data?.items.map((f) => `${f.field}, ${f.degree_level}`).join('\n') ?? '');
  const save = useReplaceOfficerFields({ onSuccess: () => setList(null) });
  const pairs = () =>
    text
      .split('\n')
      .map((l) => l.split(/[,،]/).map((x) => x.trim()))
      .filter((x) => x[0])
      .map(([field, degree_level]) => ({ field, degree_level: degree_level as Schemas['DegreeLevel'] }));
  return (
    <Paper variant="outlined" sx={{ p: 2 }} data-testid="directorate-settings">
      <Typography variant="h6" component="h2" gutterBottom>
        {t('reviews.reviewers')}
      </Typography>
      <FormAlert message={problemText(grant.error)} />
      {grant.isSuccess && <Alert severity="success">{t('reviews.reviewerAdded')}</Alert>}
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1} sx={{ mb: 3 }}>
        <TextField id="reviewer-province" select size="small" label={t('officers.province')} value={province} onChange={(e) => setProvince(e.target.value)} sx={{ minWidth: 200 }}>
          {places.data?.items.map((p) => (
            <MenuItem key={p.id} value={p.id}>
              {`${p.name_fa} — ${p.university}`}
            </MenuItem>
          ))}
        </TextField>
        <TextField id="reviewer-code" size="small" label={t('fields.nationalCode')} value={code} onChange={(e) => setCode(e.target.value)} slotProps={{ htmlInput: { dir: 'ltr', inputMode: 'numeric' } }} />
        <Button variant="outlined" disabled={!province || !code || grant.isPending} onClick={() => grant.mutate({ national_code: toAsciiDigits(code) })}>
          {t('reviews.addReviewer')}
        </Button>
      </Stack>
      <Typography variant="h6" component="h2" gutterBottom>
        {t('reviews.allowedFields')}
      </Typography>
      <FormAlert message={problemText(save.error)} />
      <TextField id="allowed-fields" label={t('reviews.allowedFieldsHelp')} value={text} onChange={(e) => setList(e.target.value)} fullWidth multiline minRows={4} />
      <Button variant="outlined" sx={{ mt: 1 }} disabled={save.isPending || list === null} onClick={() => save.mutate(pairs())}>
        {t('profile.save')}
      </Button>
    </Paper>
  );
}

/** The reviewer's queue (کارتابل) of officers' requests (TO-03), by filter. */
export function ReviewQueuePage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const [filter, setFilter] = useState<Filter>('new');
  const { me } = useAuth();
  const directorate = Boolean(me?.grants.some((g) => g.role === 'directorate_admin'));
  const queue = useReviewQueue(filter === 'cooperation' ? 'new' : filter, filter !== 'cooperation');
  return (
    <Stack spacing={2}>
      <Typography variant="h5" component="h1">
        {t('reviews.title')}
      </Typography>
      <Tabs value={filter} onChange={(_, v: Filter) => setFilter(v)} variant="scrollable" allowScrollButtonsMobile aria-label={t('reviews.title')}>
        {(['new', 'returned', 'deficient', 'awaiting_payment', 'decided', 'cooperation'] as const).map((f) => (
          <Tab key={f} value={f} label={t(`reviews.filters.${f}`)} />
        ))}
      </Tabs>
      {directorate && <DirectorateSettings />}
      {filter === 'cooperation' && <CooperationQueue />}
      <FormAlert message={queue.error ? queue.error.message : null} />
      {filter !== 'cooperation' && queue.data?.items.length === 0 && <Typography color="text.secondary">{t('reviews.empty')}</Typography>}
      <Paper variant="outlined" sx={{ display: filter === 'cooperation' ? 'none' : undefined }}>
        <List data-testid="review-queue">
          {queue.data?.items.map((r) => (
            <ListItem key={r.id} disablePadding>
              <ListItemButton component={RouterLink} to={`/reviews/${r.id}`}>
                <ListItemText
                  primary={`${r.officer_name} — ${t(`officers.kinds.${r.kind}`)}`}
                  secondary={`${r.field} · ${t(`associations.degrees.${r.degree_level}`)} · ${t(`officers.statuses.${r.status}`)} · ${formatDateTime(r.updated_at, lang)}`}
                />
              </ListItemButton>
            </ListItem>
          ))}
        </List>
      </Paper>
    </Stack>
  );
}

type Decision = 'approve' | 'reject' | 'deficiencies';

/** One request: the officer's data and documents, its history, and the decision. */
export function ReviewRequestPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const { id = '' } = useParams();
  const detail = useReviewRequest(id);
  const [open, setOpen] = useState<Decision | null>(null);
  const [text, setText] = useState('');
  const decide = useDecideRequest(id, {
    onSuccess: () => {
      setOpen(null);
      setText('');
    },
  });
  const decision = (d: Decision): RequestDecision =>
    d === 'approve' ? { kind: 'approve' } : d === 'reject' ? { kind: 'reject', reason: text } : { kind: 'deficiencies', items: text.split('\n').map((x) => x.trim()).filter(Boolean) };
  if (detail.error) return <FormAlert message={detail.error.message} />;
  const d = detail.data;
  if (!d) return null;
  const r = d.request;
  const o = d.officer;
  return (
    <Stack spacing={2}>
      <Typography variant="h5" component="h1">
        {`${t(`officers.kinds.${r.kind}`)}: ${o.first_name} ${o.last_name}`}
      </Typography>
      <Paper variant="outlined" sx={{ p: 2 }}>
        <Typography>
          {`${t('officers.status')}: `}
          <strong data-testid="review-status">{t(`officers.statuses.${r.status}`)}</strong>
        </Typography>
        <Typography color="text.secondary">{`${r.university}${r.reviewer ? ` · ${t('reviews.reviewer')}: ${r.reviewer}` : ''}`}</Typography>
        <dl className="facts">
          <dt>{t('fields.nationalCode')}</dt>
          <dd dir="ltr">{o.national_code}</dd>
          <dt>{t('officers.fatherName')}</dt>
          <dd>{o.father_name}</dd>
          <dt>{t('officers.idCard')}</dt>
          <dd>{o.id_card_number}</dd>
          <dt>{t('officers.qualification')}</dt>
          <dd>{`${o.field} — ${t(`associations.degrees.${o.degree_level}`)}`}</dd>
          <dt>{t('officers.address')}</dt>
          <dd>{o.address}</dd>
          <dt>{t('officers.documents')}</dt>
          <dd>
            {r.documents.map((f, i) => (
              <a key={f.id} href={f.url} target="_blank" rel="noreferrer" style={{ marginInlineEnd: 8 }}>
                {t('officers.document', { n: i + 1 })}
              </a>
            ))}
          </dd>
          {r.fee_rials !== null && r.fee_rials !== undefined && (
            <>
              <dt>{t('officers.fee')}</dt>
              <dd>{`${formatRials(r.fee_rials, lang)} · ${r.paid ? t('reviews.paid') : t('reviews.unpaid')}`}</dd>
            </>
          )}
        </dl>
        {r.changes && (
          <Alert severity="info" data-testid="changes">
            {Object.entries(r.changes as Record<string, unknown>)
              .filter(([, v]) => v !== null && v !== undefined)
              .map(([k, v]) => `${k}: ${String((r.previous as Record<string, unknown> | null)?.[k] ?? '')} → ${String(v)}`)
              .join(' · ')}
          </Alert>
        )}
      </Paper>
      <FormAlert message={problemText(decide.error)} />
      {d.can_decide && (
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1}>
          <Button variant="contained" color="success" onClick={() => setOpen('approve')}>
            {t('reviews.approve')}
          </Button>
          <Button variant="outlined" onClick={() => setOpen('deficiencies')}>
            {t('reviews.deficiencies')}
          </Button>
          <Button variant="outlined" color="error" onClick={() => setOpen('reject')}>
            {t('reviews.reject')}
          </Button>
        </Stack>
      )}
      <Paper variant="outlined" sx={{ p: 2 }}>
        <Typography variant="h6" component="h2">
          {t('officers.history')}
        </Typography>
        <List dense data-testid="review-events">
          {r.events.map((e, i) => (
            <ListItem key={i} disableGutters>
              <ListItemText primary={`${t(`officers.statuses.${e.to_status}`)}${e.actor ? ` — ${e.actor}` : ''}`} secondary={[formatDateTime(e.at, lang), e.note].filter(Boolean).join(' · ')} />
            </ListItem>
          ))}
        </List>
      </Paper>
      {open === 'approve' && (
        <ConfirmDialog title={t('reviews.approve')} text={t('reviews.approveText')} confirm={t('reviews.approve')} busy={decide.isPending} onConfirm={() => decide.mutate(decision('approve'))} onCancel={() => setOpen(null)} />
      )}
      {(open === 'reject' || open === 'deficiencies') && (
        <Dialog open onClose={() => setOpen(null)} fullWidth>
          <DialogTitle>{t(`reviews.${open}`)}</DialogTitle>
          <DialogContent>
            <Typography sx={{ mb: 2 }}>{t(open === 'reject' ? 'reviews.rejectText' : 'reviews.deficienciesText')}</Typography>
            <TextField id="decision-text" label={t(open === 'reject' ? 'reviews.reason' : 'reviews.items')} value={text} onChange={(e) => setText(e.target.value)} fullWidth multiline minRows={3} />
          </DialogContent>
          <DialogActions>
            <Button onClick={() => setOpen(null)}>{t('admin.cancel')}</Button>
            <Button variant="contained" color={open === 'reject' ? 'error' : 'primary'} disabled={decide.isPending || !text.trim()} onClick={() => decide.mutate(decision(open))}>
              {t(`reviews.${open}`)}
            </Button>
          </DialogActions>
        </Dialog>
      )}
    </Stack>
  );
}
