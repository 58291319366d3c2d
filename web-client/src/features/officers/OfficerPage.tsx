import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemText from '@mui/material/ListItemText';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { DatePicker } from '@mui/x-date-pickers/DatePicker';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiProblem, type Schemas } from '../../api/client';
import { CityField } from '../../components/CityField';
import { useProvinces } from '../../api/reference';
import { useAuth } from '../../app/auth';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { FileButton } from '../../components/FileButton';
import { FormAlert, problemText } from '../../components/forms';
import type { Lang } from '../../i18n';
import { formatDateTime } from '../../lib/dates';
import { toAsciiDigits } from '../../lib/digits';
import { formatRials } from '../../lib/money';
import { usePay } from '../payments';
import { officerKeys, useCooperationStep, useEditMyOfficer, useMyCooperations, useMyOfficer, useOfficerFields, useRegisterOfficer, useResubmitRequest, useSubmitRequest } from './api';

type Officer = Schemas['OfficerDto'];
type Request = Schemas['RequestDto'];

const DOCS = 'application/pdf,image/png,image/jpeg,image/webp';

function isoDay(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}


function fieldError(error: unknown, name: string): string | undefined {
  return error instanceof ApiProblem ? error.fields[name]?.join(' ') : undefined;
}

/** Province and city pickers, from the reference data. */
function usePlaces() {
  return useProvinces();
}

/** Registration (TO-01): once, with an allowed field and degree and the documents. */
function Register({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const { me } = useAuth();
  const places = usePlaces();
  const fields = useOfficerFields();
  const [v, setV] = useState({ father_name: '', gender: 'female', id_card_number: '', phone: '', address: '', province_id: '', city_id: '', qualification: '' });
  const [birth, setBirth] = useState<Date | null>(null);
  const [docs, setDocs] = useState<{ id: string; name: string }[]>([]);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof v) => (e: { target: { value: string } }) => setV({ ...v, [k]: e.target.value, ...(k === 'province_id' ? { city_id: '' } : {}) });
  const register = useRegisterOfficer({ onSuccess: onDone });
  const registration = (): Schemas['Registration'] => {
    const [field, degree_level] = v.qualification.split('|');
    return {
      birth_date: birth ? isoDay(birth) : null,
      father_name: v.father_name,
      gender: v.gender,
      id_card_number: toAsciiDigits(v.id_card_number),
      phone: toAsciiDigits(v.phone) || null,
      address: v.address,
      province_id: v.province_id,
      city_id: v.city_id,
      field: field ?? '',
      degree_level: degree_level ?? '',
      documents: docs.map((d) => d.id),
    };
  };
  const err = (name: string) => fieldError(register.error, name);
  return (
    <Paper variant="outlined" sx={{ p: 2 }} component="form" onSubmit={(e) => { e.preventDefault(); register.mutate(registration()); }}>
      <Typography variant="h6" component="h2" gutterBottom>
        {t('officers.register')}
      </Typography>
      <Typography color="text.secondary" sx={{ mb: 2 }}>
        {t('officers.registerIntro')}
      </Typography>
      <FormAlert message={register.error && !(register.error instanceof ApiProblem && Object.keys(register.error.fields).length) ? register.error.message : null} />
      <Stack spacing={2}>
        {!me?.birth_date && (
          <DatePicker label={t('fields.birthDate')} value={birth} onChange={(d) => setBirth(d && !Number.isNaN(d.getTime()) ? d : null)} disableFuture slotProps={{ textField: { id: 'officer-birth', error: Boolean(err('birth_date')), helperText: err('birth_date') } }} />
        )}
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
          <TextField id="officer-father" label={t('officers.fatherName')} value={v.father_name} onChange={set('father_name')} error={Boolean(err('father_name'))} helperText={err('father_name')} fullWidth />
          <TextField id="officer-gender" select label={t('officers.gender')} value={v.gender} onChange={set('gender')} sx={{ minWidth: 160 }}>
            <MenuItem value="female">{t('officers.genders.female')}</MenuItem>
            <MenuItem value="male">{t('officers.genders.male')}</MenuItem>
          </TextField>
        </Stack>
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
          <TextField id="officer-id-card" label={t('officers.idCard')} value={v.id_card_number} onChange={set('id_card_number')} error={Boolean(err('id_card_number'))} helperText={err('id_card_number')} fullWidth slotProps={{ htmlInput: { inputMode: 'numeric', dir: 'ltr' } }} />
          <TextField id="officer-phone" label={t('officers.phone')} value={v.phone} onChange={set('phone')} error={Boolean(err('phone'))} helperText={err('phone')} fullWidth slotProps={{ htmlInput: { inputMode: 'tel', dir: 'ltr' } }} />
        </Stack>
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
          <TextField id="officer-province" select label={t('officers.province')} value={v.province_id} onChange={set('province_id')} fullWidth error={Boolean(err('province_id'))}>
            {places.data?.items.map((p) => (
              <MenuItem key={p.id} value={p.id}>
                {p.name_fa}
              </MenuItem>
            ))}
          </TextField>
          <CityField id="officer-city" province={v.province_id} value={v.city_id} onChange={(c) => setV({ ...v, city_id: c })} error={Boolean(err('city_id'))} helperText={err('city_id')} />
        </Stack>
        <TextField id="officer-address" label={t('officers.address')} value={v.address} onChange={set('address')} error={Boolean(err('address'))} helperText={err('address')} fullWidth multiline minRows={2} />
        <TextField id="officer-qualification" select label={t('officers.qualification')} value={v.qualification} onChange={set('qualification')} error={Boolean(err('field'))} helperText={err('field') ?? t('officers.qualificationHelp')} fullWidth>
          {fields.data?.items.map((f) => (
            <MenuItem key={`${f.field}|${f.degree_level}`} value={`${f.field}|${f.degree_level}`}>
              {`${f.field} — ${t(`associations.degrees.${f.degree_level}`)}`}
            </MenuItem>
          ))}
        </TextField>
        <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap', alignItems: 'center' }}>
          <FileButton purpose="officer_document" accept={DOCS} label={t('officers.addDocument')} testId="officer-document" onBusy={setBusy} onUploaded={(f) => setDocs([...docs, { id: f.id, name: f.name ?? t('officers.document', { n: docs.length + 1 }) }])} />
          {docs.map((d) => (
            <Chip key={d.id} label={d.name} onDelete={() => setDocs(docs.filter((x) => x.id !== d.id))} />
          ))}
        </Stack>
        {err('documents') && <Alert severity="error">{err('documents')}</Alert>}
        <Button type="submit" variant="contained" disabled={register.isPending || busy} sx={{ alignSelf: 'flex-start' }}>
          {t('officers.registerButton')}
        </Button>
      </Stack>
    </Paper>
  );
}

/** The request in progress and what the officer can do about it (TO-07). */
function Tracking({ request }: { request: Request }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const pay = usePay();
  const [docs, setDocs] = useState<{ id: string; name: string }[]>([]);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const resubmit = useResubmitRequest(request.id, {
    onSuccess: () => {
      setDocs([]);
      setNote('');
    },
  });
  return (
    <Paper variant="outlined" sx={{ p: 2 }} data-testid="tracking">
      <Typography variant="h6" component="h2">
        {t(`officers.kinds.${request.kind}`)}
      </Typography>
      <Typography>
        {`${t('officers.status')}: `}
        <strong data-testid="request-status">{t(`officers.statuses.${request.status}`)}</strong>
      </Typography>
      <Typography color="text.secondary">{`${request.university} · ${formatDateTime(request.updated_at, lang)}`}</Typography>
      {request.status === 'deficient' && (
        <Stack spacing={1} sx={{ mt: 2 }}>
          <Alert severity="warning" data-testid="deficiencies">
            <Typography>{t('officers.deficienciesIntro')}</Typography>
            <ul>
              {request.deficiencies.map((d, i) => (
                <li key={i}>{d}</li>
              ))}
            </ul>
          </Alert>
          <FormAlert message={problemText(resubmit.error)} />
          <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap', alignItems: 'center' }}>
            <FileButton purpose="officer_document" accept={DOCS} label={t('officers.addDocument')} testId="fix-document" onBusy={setBusy} onUploaded={(f) => setDocs([...docs, { id: f.id, name: f.name ?? t('officers.document', { n: docs.length + 1 }) }])} />
            {docs.map((d) => (
              <Chip key={d.id} label={d.name} onDelete={() => setDocs(docs.filter((x) => x.id !== d.id))} />
            ))}
          </Stack>
          <TextField id="fix-note" label={t('officers.fixNote')} value={note} onChange={(e) => setNote(e.target.value)} fullWidth multiline />
          <Button variant="contained" disabled={resubmit.isPending || busy} onClick={() => resubmit.mutate({ documents: docs.length ? docs.map((d) => d.id) : null, note: note || null })} sx={{ alignSelf: 'flex-start' }}>
            {t('officers.resubmit')}
          </Button>
        </Stack>
      )}
      {request.status === 'awaiting_payment' && request.invoice_id && (
        <Stack spacing={1} sx={{ mt: 2 }}>
          <Alert severity="info" data-testid="fee">
            {t('officers.feeDue', { amount: formatRials(request.fee_rials ?? 0, lang) })}
          </Alert>
          <FormAlert message={pay.error ? pay.error.message : null} />
          <Button variant="contained" disabled={pay.isPending} onClick={() => pay.mutate(request.invoice_id!)} sx={{ alignSelf: 'flex-start' }}>
            {t('officers.pay')}
          </Button>
        </Stack>
      )}
      {(request.status === 'submitted' || request.status === 'resubmitted') && <Alert severity="info" sx={{ mt: 2 }}>{t('officers.withReviewer')}</Alert>}
    </Paper>
  );
}

/** A new request: qualification before, amendments after (TO-02, TO-05). */
function NewRequest({ officer }: { officer: Officer }) {
  const { t } = useTranslation();
  const places = usePlaces();
  const [confirm, setConfirm] = useState(false);
  const [last, setLast] = useState('');
  const [first, setFirst] = useState('');
  const [province, setProvince] = useState('');
  const [city, setCity] = useState('');
  const qualified = Boolean(officer.qualified_at);
  const submit = useSubmitRequest({ onSuccess: () => setConfirm(false), onError: () => setConfirm(false) });
  const request = (): Schemas['NewRequest'] =>
    qualified
      ? { kind: 'amendment', documents: [], changes: { first_name: first || null, last_name: last || null, province_id: province || null, city_id: city || null } }
      : { kind: 'qualification', documents: [], province_id: province || null, city_id: city || null };
  return (
    <Paper variant="outlined" sx={{ p: 2 }} data-testid="new-request">
      <Typography variant="h6" component="h2" gutterBottom>
        {qualified ? t('officers.amend') : t('officers.requestQualification')}
      </Typography>
      <Typography color="text.secondary" sx={{ mb: 2 }}>
        {qualified ? t('officers.amendIntro') : t('officers.qualificationIntro')}
      </Typography>
      <FormAlert message={problemText(submit.error)} />
      <Stack spacing={2}>
        {qualified && (
          <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
            <TextField id="amend-first" label={t('fields.firstName')} value={first} onChange={(e) => setFirst(e.target.value)} fullWidth />
            <TextField id="amend-last" label={t('fields.lastName')} value={last} onChange={(e) => setLast(e.target.value)} fullWidth />
          </Stack>
        )}
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
          <TextField id="request-province" select label={qualified ? t('officers.newProvince') : t('officers.reviewProvince')} value={province} onChange={(e) => { setProvince(e.target.value); setCity(''); }} fullWidth>
            <MenuItem value="">{t('officers.keepProvince')}</MenuItem>
            {places.data?.items.map((p) => (
              <MenuItem key={p.id} value={p.id}>
                {p.name_fa}
              </MenuItem>
            ))}
          </TextField>
          <CityField id="request-city" province={province} value={city} onChange={setCity} />
        </Stack>
        <Button variant="contained" onClick={() => setConfirm(true)} sx={{ alignSelf: 'flex-start' }}>
          {qualified ? t('officers.submitAmendment') : t('officers.submitQualification')}
        </Button>
      </Stack>
      {confirm && (
        <ConfirmDialog
          title={qualified ? t('officers.submitAmendment') : t('officers.submitQualification')}
          text={t('officers.submitConfirm')}
          confirm={t('officers.submit')}
          busy={submit.isPending}
          onConfirm={() => submit.mutate(request())}
          onCancel={() => setConfirm(false)}
        />
      )}
    </Paper>
  );
}

/** The free edits (TO-06): refused while a request is in progress. */
function Contacts({ officer }: { officer: Officer }) {
  const { t } = useTranslation();
  const [v, setV] = useState({
    phone: officer.phone ?? '',
    mobile: officer.mobile ?? '',
    email: officer.email ?? '',
    address: officer.address,
    father_name: officer.father_name,
    gender: officer.gender,
    id_card_number: officer.id_card_number,
  });
  const save = useEditMyOfficer();
  const locked = Boolean(officer.current_request);
  return (
    <Paper variant="outlined" sx={{ p: 2 }}>
      <Typography variant="h6" component="h2" gutterBottom>
        {t('officers.contacts')}
      </Typography>
      {locked && <Alert severity="info" sx={{ mb: 2 }}>{t('officers.locked')}</Alert>}
      <FormAlert message={problemText(save.error)} />
      {save.isSuccess && <Alert severity="success" sx={{ mb: 1 }}>{t('profile.saved')}</Alert>}
      <Stack spacing={2}>
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
          <TextField id="contact-father" label={t('officers.fatherName')} value={v.father_name} onChange={(e) => setV({ ...v, father_name: e.target.value })} fullWidth disabled={locked} />
          <TextField id="contact-gender" select label={t('officers.gender')} value={v.gender} onChange={(e) => setV({ ...v, gender: e.target.value })} sx={{ minWidth: 160 }} disabled={locked}>
            <MenuItem value="female">{t('officers.genders.female')}</MenuItem>
            <MenuItem value="male">{t('officers.genders.male')}</MenuItem>
          </TextField>
        </Stack>
        <TextField id="contact-id-card" label={t('officers.idCard')} value={v.id_card_number} onChange={(e) => setV({ ...v, id_card_number: e.target.value })} fullWidth disabled={locked} slotProps={{ htmlInput: { inputMode: 'numeric', dir: 'ltr' } }} />
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
          <TextField id="contact-mobile" label={t('fields.mobile')} value={v.mobile} onChange={(e) => setV({ ...v, mobile: e.target.value })} fullWidth disabled={locked} slotProps={{ htmlInput: { dir: 'ltr' } }} />
          <TextField id="contact-phone" label={t('officers.phone')} value={v.phone} onChange={(e) => setV({ ...v, phone: e.target.value })} fullWidth disabled={locked} slotProps={{ htmlInput: { dir: 'ltr' } }} />
        </Stack>
        <TextField id="contact-email" label={t('fields.email')} value={v.email} onChange={(e) => setV({ ...v, email: e.target.value })} fullWidth disabled={locked} slotProps={{ htmlInput: { dir: 'ltr' } }} />
        <TextField id="contact-address" label={t('officers.address')} value={v.address} onChange={(e) => setV({ ...v, address: e.target.value })} fullWidth multiline disabled={locked} />
        <Button variant="outlined" disabled={locked || save.isPending} onClick={() =>
            save.mutate({
              phone: toAsciiDigits(v.phone),
              mobile: toAsciiDigits(v.mobile),
              email: v.email,
              address: v.address,
              father_name: v.father_name,
              gender: v.gender,
              id_card_number: toAsciiDigits(v.id_card_number),
            })
          } sx={{ alignSelf: 'flex-start' }}>
          {t('profile.save')}
        </Button>
      </Stack>
    </Paper>
  );
}

/** Past requests with their steps. */
function History({ requests }: { requests: Request[] }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  if (!requests.length) return null;
  return (
    <Paper variant="outlined" sx={{ p: 2 }}>
      <Typography variant="h6" component="h2">
        {t('officers.history')}
      </Typography>
      <List dense data-testid="history">
        {requests.map((r) => (
          <ListItem key={r.id} disableGutters>
            <ListItemText
              primary={`${t(`officers.kinds.${r.kind}`)} — ${t(`officers.statuses.${r.status}`)} (${formatDateTime(r.created_at, lang)})`}
              secondary={[r.reason && `${t('officers.reason')}: ${r.reason}`, r.events.map((e) => t(`officers.statuses.${e.to_status}`)).join(' ← ')].filter(Boolean).join(' · ')}
            />
          </ListItem>
        ))}
      </List>
    </Paper>
  );
}

/** Distributors' cooperation requests: new ones to accept or decline, the active one to end (DI-02, DI-04). */
function Cooperations() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const list = useMyCooperations();
  const [ending, setEnding] = useState<string | null>(null);
  const step = useCooperationStep({ onSuccess: () => setEnding(null), onError: () => setEnding(null) });
  if (!list.data || list.data.items.length === 0) return null;
  return (
    <Paper variant="outlined" sx={{ p: 2 }} data-testid="cooperations">
      <Typography variant="h6" component="h2">
        {t('cooperation.title')}
      </Typography>
      <FormAlert message={problemText(step.error)} />
      <List>
        {list.data.items.map((c) => (
          <ListItem key={c.id} disableGutters sx={{ display: 'block' }}>
            <ListItemText
              primary={`${c.distributor_name} (${t(`distributors.kinds.${c.distributor_kind}`)}) — ${c.branch.name}`}
              secondary={`${t(`cooperation.statuses.${c.status}`)} · ${c.branch.address} · ${t('distributors.manager')}: ${c.manager.name} · ${formatDateTime(c.updated_at, lang)}`}
            />
            {c.status === 'awaiting_officer' && (
              <Stack direction="row" spacing={1}>
                <Button variant="contained" size="small" disabled={step.isPending} onClick={() => step.mutate({ id: c.id, what: 'accept' })}>
                  {t('cooperation.accept')}
                </Button>
                <Button size="small" disabled={step.isPending} onClick={() => step.mutate({ id: c.id, what: 'decline' })}>
                  {t('cooperation.decline')}
                </Button>
              </Stack>
            )}
            {c.status === 'active' && (
              <Button color="error" size="small" onClick={() => setEnding(c.id)}>
                {t('cooperation.terminate')}
              </Button>
            )}
          </ListItem>
        ))}
      </List>
      {ending && (
        <ConfirmDialog
          title={t('cooperation.terminate')}
          text={t('cooperation.terminateText')}
          confirm={t('cooperation.terminate')}
          busy={step.isPending}
          onConfirm={() => step.mutate({ id: ending, what: 'terminate' })}
          onCancel={() => setEnding(null)}
        />
      )}
    </Paper>
  );
}

/** The technical officer's page: registration, tracking, requests and data (TO-01..07). */
export function OfficerPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const queryClient = useQueryClient();
  const { me, status } = useAuth();
  // Registered officers hold the technical_officer role; others see the registration form.
  const registered = Boolean(me?.grants.some((g) => g.role === 'technical_officer'));
  const officer = useMyOfficer(registered);
  const places = usePlaces();
  const missing = status === 'signed-in' && !registered;
  if (status === 'restoring' || (status === 'signed-in' && !me) || officer.isLoading) return null;
  const o = officer.data;
  const province = places.data?.items.find((p) => p.id === o?.province_id);
  return (
    <Stack spacing={2}>
      <Typography variant="h5" component="h1">
        {t('officers.title')}
      </Typography>
      {missing && (
        <Register
          onDone={() => {
            // The new role comes with the refreshed profile; then the officer's data loads.
            void queryClient.invalidateQueries({ queryKey: ['me'] });
            void queryClient.invalidateQueries({ queryKey: officerKeys.me });
          }}
        />
      )}
      {officer.error && <FormAlert message={officer.error.message} />}
      {o && (
        <>
          <Paper variant="outlined" sx={{ p: 2 }}>
            <Typography variant="h6" component="h2">{`${o.first_name} ${o.last_name}`}</Typography>
            <Chip
              sx={{ my: 1 }}
              color={o.qualified_at ? 'success' : 'default'}
              data-testid="qualified"
              label={o.qualified_at ? t('officers.qualifiedSince', { date: formatDateTime(o.qualified_at, lang) }) : t('officers.notQualified')}
            />
            <dl className="facts">
              <dt>{t('officers.qualification')}</dt>
              <dd>{`${o.field} — ${t(`associations.degrees.${o.degree_level}`)}`}</dd>
              <dt>{t('officers.province')}</dt>
              <dd>{`${province?.name_fa ?? o.province_id}، ${province?.cities.find((c) => c.id === o.city_id)?.name_fa ?? ''}`}</dd>
              <dt>{t('officers.documents')}</dt>
              <dd>
                {o.documents.map((d, i) => (
                  <a key={d.id} href={d.url} style={{ marginInlineEnd: 8 }}>
                    {t('officers.document', { n: i + 1 })}
                  </a>
                ))}
              </dd>
            </dl>
          </Paper>
          {o.current_request ? <Tracking request={o.current_request} /> : <NewRequest officer={o} />}
          <Cooperations />
          <Contacts officer={o} key={`${o.phone}-${o.address}-${o.current_request?.status ?? ''}`} />
          <History requests={o.history} />
        </>
      )}
    </Stack>
  );
}
