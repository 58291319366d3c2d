import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import FormControlLabel from '@mui/material/FormControlLabel';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemText from '@mui/material/ListItemText';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Switch from '@mui/material/Switch';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { DatePicker } from '@mui/x-date-pickers/DatePicker';
import { useState, type ReactNode } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { ApiProblem, type Schemas } from '../../api/client';
import { useProvinces } from '../../api/reference';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { FileButton } from '../../components/FileButton';
import { FormAlert, problemText } from '../../components/forms';
import type { Lang } from '../../i18n';
import { asDate, formatDate, isoDay } from '../../lib/dates';
import { toAsciiDigits } from '../../lib/digits';
import { formatRials } from '../../lib/money';
import { usePay } from '../payments';
import {
  useAddContact,
  useAddDocument,
  useAddRelative,
  useCorrespondenceAddress,
  useEditContact,
  useMyEngineerRecord,
  useRemoveContactOrAddress,
  useRemoveDegree,
  useRemoveDocument,
  useRemoveRelative,
  useRequestRenewal,
  useSaveAddress,
  useSaveDegree,
  useSaveMainInfo,
} from './api';

export type EngineerRecord = Schemas['EngineerRecord'];

const DOCS = 'application/pdf,image/png,image/jpeg,image/webp';
export const LEVELS = ['associate', 'bachelor_noncontinuous', 'bachelor', 'master', 'doctorate'] as const;
export const DISCIPLINES = ['civil', 'architecture', 'mechanical', 'electrical', 'surveying', 'urban_planning', 'traffic'] as const;
const CONTACT_KINDS = ['mobile', 'landline', 'email', 'work_landline'] as const;
const ADDRESS_KINDS = ['residence', 'work', 'legal_domicile'] as const;
const DOCUMENT_KINDS = ['employment_order', 'insurance_record', 'property_deed', 'official_lease', 'school_certificate', 'national_card', 'birth_certificate', 'photo', 'military_service', 'other'] as const;

function fieldError(error: unknown, name: string): string | undefined {
  return error instanceof ApiProblem ? error.fields[name]?.join(' ') : undefined;
}

/** The envelope's message when its fields are shown beside the inputs, else everything. */
function formProblem(error: unknown, shown: readonly string[]): string | null {
  if (!error) return null;
  if (error instanceof ApiProblem && Object.keys(error.fields).length && Object.keys(error.fields).every((f) => shown.includes(f))) return error.message;
  return problemText(error);
}


/** A saving call on the caller's record: the answer is the whole record, put in the cache. */
function Section({ title, children, action }: { title: string; children: ReactNode; action?: ReactNode }) {
  return (
    <Paper variant="outlined" sx={{ p: 2 }}>
      <Stack direction="row" sx={{ justifyContent: 'space-between', alignItems: 'center', mb: 1, flexWrap: 'wrap', gap: 1 }}>
        <Typography variant="h6" component="h2">
          {title}
        </Typography>
        {action}
      </Stack>
      {children}
    </Paper>
  );
}

/** Renewal (EN-02): the window, "under review" with the expert, the itemised amount and payment. */
function Renewal({ record }: { record: EngineerRecord }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const pay = usePay();
  const request = useRequestRenewal();
  const r = record.renewal;
  // A refused request is over: its reason shows, and a new one may be filed.
  const open = r && r.status !== 'completed' && r.status !== 'rejected';
  const opens = record.renewal_opens_on;
  const windowOpen = new Date(asDate(opens)).getTime() <= Date.now();
  return (
    <Section title={t('engineers.renewal.title')}>
      <Typography sx={{ mb: 1 }}>{t('engineers.renewal.expires', { date: formatDate(asDate(record.expires_on), lang) })}</Typography>
      <FormAlert message={request.error ? problemText(request.error) : null} />
      <FormAlert message={pay.error ? problemText(pay.error) : null} />
      {r?.status === 'under_review' && (
        <Alert severity="info" role="status" data-testid="renewal-status">
          {t('engineers.renewal.underReview')}
        </Alert>
      )}
      {r?.status === 'awaiting_payment' && (
        <Stack spacing={1} data-testid="renewal-status">
          <Alert severity="warning">{t('engineers.renewal.awaitingPayment')}</Alert>
          <List dense aria-label={t('engineers.renewal.amountTitle')}>
            <ListItem>
              <ListItemText primary={t('engineers.renewal.fee', { fee: formatRials(r.annual_fee_rials ?? 0, lang), years: r.years ?? 0 })} secondary={formatRials((r.annual_fee_rials ?? 0) * (r.years ?? 0), lang)} />
            </ListItem>
            <ListItem>
              <ListItemText primary={t('engineers.renewal.debt')} secondary={formatRials(r.debt_rials ?? 0, lang)} />
            </ListItem>
            <ListItem>
              <ListItemText primary={t('engineers.renewal.total')} secondary={<strong>{formatRials(r.amount_rials ?? 0, lang)}</strong>} />
            </ListItem>
          </List>
          <Button variant="contained" disabled={pay.isPending || !r.invoice_id} onClick={() => r.invoice_id && pay.mutate(r.invoice_id)} sx={{ alignSelf: 'flex-start' }}>
            {t('engineers.renewal.pay', { amount: formatRials(r.amount_rials ?? 0, lang) })}
          </Button>
        </Stack>
      )}
      {r?.status === 'completed' && r.expires_after && (
        <Alert severity="success" sx={{ mb: 1 }}>
          {t('engineers.renewal.completed', { date: formatDate(asDate(r.expires_after), lang) })}
        </Alert>
      )}
      {r?.status === 'rejected' && (
        <Alert severity="error" sx={{ mb: 1 }} data-testid="renewal-status">
          {t('engineers.renewal.rejected', { reason: r.reason ?? '' })}
        </Alert>
      )}
      {!open && (
        <Stack spacing={1} sx={{ mt: 1 }}>
          {!windowOpen && <Typography color="text.secondary">{t('engineers.renewal.opensOn', { date: formatDate(asDate(opens), lang) })}</Typography>}
          {record.residence_proof.required && !record.residence_proof.provided && <Alert severity="warning">{t('engineers.residenceNeeded')}</Alert>}
          <Button variant="contained" disabled={!windowOpen || request.isPending} onClick={() => request.mutate()} sx={{ alignSelf: 'flex-start' }}>
            {t('engineers.renewal.request')}
          </Button>
        </Stack>
      )}
    </Section>
  );
}

/** Main information: saved on its own. */
function MainTab({ record }: { record: EngineerRecord }) {
  const { t } = useTranslation();
  const provinces = useProvinces();
  const m = record.main;
  const [v, setV] = useState({ father_name: m.father_name ?? '', gender: m.gender ?? 'male', id_card_number: m.id_card_number ?? '', birth_place: m.birth_place ?? '', birth_province_id: m.birth_province_id ?? '' });
  const [birth, setBirth] = useState<Date | null>(null);
  const [saved, setSaved] = useState(false);
  const save = useSaveMainInfo({ onSuccess: () => setSaved(true) });
  // The province of birth comes from the national code's issuing area when it is known (EN-07):
  // shown, never sent; only an unknown area lets the engineer enter it, for an expert to confirm.
  const derived = m.birth_province_source === 'national_code';
  const body = () => ({ ...v, birth_province_id: derived ? null : v.birth_province_id || null, id_card_number: toAsciiDigits(v.id_card_number), birth_date: m.birth_date ? null : isoDay(birth) });
  const provinceName = provinces.data?.items.find((p) => p.id === m.birth_province_id)?.name_fa ?? '';
  const set = (k: keyof typeof v) => (e: { target: { value: string } }) => {
    setSaved(false);
    setV({ ...v, [k]: e.target.value });
  };
  const err = (n: string) => fieldError(save.error, n);
  return (
    <Section title={t('engineers.tabs.main')}>
      <Stack component="form" spacing={2} onSubmit={(e) => { e.preventDefault(); save.mutate(body()); }}>
        <FormAlert message={formProblem(save.error, ['father_name', 'gender', 'id_card_number', 'birth_place', 'birth_province_id', 'birth_date'])} />
        <FormAlert message={saved ? t('engineers.saved') : null} severity="success" />
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
          <TextField id="eng-father" label={t('officers.fatherName')} value={v.father_name} onChange={set('father_name')} error={Boolean(err('father_name'))} helperText={err('father_name')} fullWidth />
          <TextField id="eng-gender" select label={t('officers.gender')} value={v.gender} onChange={set('gender')} sx={{ minWidth: 160 }}>
            <MenuItem value="female">{t('officers.genders.female')}</MenuItem>
            <MenuItem value="male">{t('officers.genders.male')}</MenuItem>
          </TextField>
        </Stack>
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
          <TextField id="eng-id-card" label={t('officers.idCard')} value={v.id_card_number} onChange={set('id_card_number')} error={Boolean(err('id_card_number'))} helperText={err('id_card_number')} fullWidth slotProps={{ htmlInput: { dir: 'ltr', inputMode: 'numeric' } }} />
          <TextField id="eng-birth-place" label={t('engineers.birthPlace')} value={v.birth_place} onChange={set('birth_place')} error={Boolean(err('birth_place'))} helperText={err('birth_place')} fullWidth />
        </Stack>
        {derived ? (
          <TextField
            id="eng-birth-province"
            label={t('engineers.birthProvince')}
            value={provinceName}
            helperText={t('engineers.birthProvinceFromCode', { area: m.issuing_area ?? '' })}
            fullWidth
            slotProps={{ htmlInput: { readOnly: true, 'data-source': 'national_code' } }}
          />
        ) : (
          <TextField id="eng-birth-province" select label={t('engineers.birthProvince')} value={v.birth_province_id} onChange={set('birth_province_id')} error={Boolean(err('birth_province_id'))} helperText={err('birth_province_id') ?? `${t(m.birth_province_source === 'confirmed' ? 'engineers.birthProvinceConfirmed' : 'engineers.birthProvinceToConfirm')} ${t('engineers.birthProvinceHelp')}`} fullWidth>
            {provinces.data?.items.map((p) => (
              <MenuItem key={p.id} value={p.id}>
                {p.name_fa}
              </MenuItem>
            ))}
          </TextField>
        )}
        {!m.birth_date && <DatePicker label={t('fields.birthDate')} value={birth} onChange={(d) => setBirth(d && !Number.isNaN(d.getTime()) ? d : null)} disableFuture slotProps={{ textField: { id: 'eng-birth-date', error: Boolean(err('birth_date')), helperText: err('birth_date') } }} />}
        <Button type="submit" variant="contained" disabled={save.isPending} sx={{ alignSelf: 'flex-start' }}>
          {t('engineers.save')}
        </Button>
      </Stack>
    </Section>
  );
}

type Degree = Schemas['EngineerDegree'];

/** Adds or edits a degree: the image is required, and the inquiry code or a verification letter. */
function DegreeDialog({ degree, onClose }: { degree: Degree | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [v, setV] = useState({ level: degree?.level ?? 'bachelor', discipline: degree?.discipline ?? 'civil', orientation: degree?.orientation ?? '', university: degree?.university ?? '', inquiry_code: degree?.inquiry_code ?? '' });
  const [graduated, setGraduated] = useState<Date | null>(degree ? new Date(asDate(degree.graduated_on)) : null);
  const [image, setImage] = useState<string | null>(degree?.image_file_id ?? null);
  const [letter, setLetter] = useState<string | null>(degree?.letter_file_id ?? null);
  const [busy, setBusy] = useState(false);
  const save = useSaveDegree(degree?.id, { onSuccess: onClose });
  const body = () => ({ ...v, inquiry_code: v.inquiry_code.trim() || null, graduated_on: isoDay(graduated) ?? '', image_file_id: image, letter_file_id: letter });
  const set = (k: keyof typeof v) => (e: { target: { value: string } }) => setV({ ...v, [k]: e.target.value });
  const err = (n: string) => fieldError(save.error, n);
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="sm" aria-labelledby="degree-title">
      <DialogTitle id="degree-title">{degree ? t('engineers.degrees.edit') : t('engineers.degrees.add')}</DialogTitle>
      <DialogContent>
        <FormAlert message={formProblem(save.error, ['level', 'discipline', 'orientation', 'university', 'graduated_on', 'inquiry_code', 'image_file_id', 'letter_file_id'])} />
        <Stack spacing={2} sx={{ mt: 1 }}>
          <TextField id="degree-level" select label={t('engineers.degrees.level')} value={v.level} onChange={set('level')} error={Boolean(err('level'))} helperText={err('level')}>
            {LEVELS.map((l) => (
              <MenuItem key={l} value={l}>
                {t(`engineers.levels.${l}`)}
              </MenuItem>
            ))}
          </TextField>
          <TextField id="degree-discipline" select label={t('engineers.degrees.discipline')} value={v.discipline} onChange={set('discipline')} error={Boolean(err('discipline'))} helperText={err('discipline') ?? t('engineers.degrees.disciplineHelp')}>
            {DISCIPLINES.map((d) => (
              <MenuItem key={d} value={d}>
                {t(`engineers.disciplines.${d}`)}
              </MenuItem>
            ))}
          </TextField>
          <TextField id="degree-orientation" label={t('engineers.degrees.orientation')} value={v.orientation} onChange={set('orientation')} error={Boolean(err('orientation'))} helperText={err('orientation') ?? t('engineers.degrees.orientationHelp')} />
          <TextField id="degree-university" label={t('engineers.degrees.university')} value={v.university} onChange={set('university')} error={Boolean(err('university'))} helperText={err('university')} />
          <DatePicker label={t('engineers.degrees.graduated')} value={graduated} onChange={(d) => setGraduated(d && !Number.isNaN(d.getTime()) ? d : null)} disableFuture slotProps={{ textField: { id: 'degree-graduated', error: Boolean(err('graduated_on')), helperText: err('graduated_on') } }} />
          <TextField id="degree-inquiry" label={t('engineers.degrees.inquiry')} value={v.inquiry_code} onChange={set('inquiry_code')} error={Boolean(err('inquiry_code'))} helperText={err('inquiry_code') ?? t('engineers.degrees.inquiryHelp')} slotProps={{ htmlInput: { dir: 'ltr' } }} />
          <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap', alignItems: 'center' }}>
            <FileButton purpose="engineer_document" accept={DOCS} label={t('engineers.degrees.letter')} testId="degree-letter" onBusy={setBusy} onUploaded={(f) => setLetter(f.id)} />
            {letter && <Chip label={t('engineers.degrees.letterAttached')} onDelete={() => setLetter(null)} />}
          </Stack>
          <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap', alignItems: 'center' }}>
            <FileButton purpose="engineer_document" accept={DOCS} label={t('engineers.degrees.image')} testId="degree-image" onBusy={setBusy} onUploaded={(f) => setImage(f.id)} variant={image ? 'outlined' : 'contained'} />
            {image && <Chip color="success" label={t('engineers.degrees.imageAttached')} onDelete={() => setImage(null)} />}
          </Stack>
          {err('image_file_id') && <Alert severity="error">{err('image_file_id')}</Alert>}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{t('admin.cancel')}</Button>
        <Button variant="contained" disabled={save.isPending || busy} onClick={() => save.mutate(body())}>
          {t('engineers.save')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

function EducationTab({ record }: { record: EngineerRecord }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const [editing, setEditing] = useState<Degree | null | 'new'>(null);
  const [removing, setRemoving] = useState<Degree | null>(null);
  const remove = useRemoveDegree({ onSuccess: () => setRemoving(null) });
  return (
    <Section title={t('engineers.tabs.education')} action={<Button variant="outlined" onClick={() => setEditing('new')}>{t('engineers.degrees.add')}</Button>}>
      <Typography color="text.secondary" sx={{ mb: 1 }}>
        {t('engineers.degrees.intro')}
      </Typography>
      <FormAlert message={remove.error ? problemText(remove.error) : null} />
      <List aria-label={t('engineers.tabs.education')}>
        {record.degrees.map((d) => (
          <ListItem
            key={d.id}
            divider
            secondaryAction={
              d.verified ? (
                <Chip size="small" color="success" label={t('engineers.degrees.verified')} />
              ) : (
                <Stack direction="row" spacing={1}>
                  <Button size="small" onClick={() => setEditing(d)}>
                    {t('engineers.edit')}
                  </Button>
                  <Button size="small" color="error" onClick={() => setRemoving(d)}>
                    {t('engineers.remove')}
                  </Button>
                </Stack>
              )
            }
          >
            <ListItemText
              primary={`${t(`engineers.levels.${d.level}`)} — ${t(`engineers.disciplines.${d.discipline}`)} (${d.orientation})`}
              secondary={`${d.university} · ${formatDate(asDate(d.graduated_on), lang)}${d.inquiry_code ? ` · ${d.inquiry_code}` : ''}`}
            />
          </ListItem>
        ))}
        {record.degrees.length === 0 && (
          <ListItem>
            <ListItemText primary={t('engineers.degrees.none')} />
          </ListItem>
        )}
      </List>
      {editing && <DegreeDialog degree={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
      {removing && <ConfirmDialog title={t('engineers.degrees.removeTitle')} text={t('engineers.confirmRemove')} confirm={t('engineers.remove')} busy={remove.isPending} onConfirm={() => remove.mutate(removing.id)} onCancel={() => setRemoving(null)} />}
    </Section>
  );
}

type Address = Schemas['EngineerAddress'];

function AddressDialog({ address, onClose }: { address: Address | null; onClose: () => void }) {
  const { t } = useTranslation();
  const provinces = useProvinces();
  const [v, setV] = useState({ kind: address?.kind ?? 'residence', province_id: address?.province_id ?? '', city: address?.city ?? '', address: address?.address ?? '', postal_code: address?.postal_code ?? '' });
  const [correspondence, setCorrespondence] = useState(address?.correspondence ?? false);
  const save = useSaveAddress(address?.id, { onSuccess: onClose });
  const body = () => ({ ...v, postal_code: toAsciiDigits(v.postal_code) || null, correspondence: v.kind === 'legal_domicile' && correspondence });
  const set = (k: keyof typeof v) => (e: { target: { value: string } }) => setV({ ...v, [k]: e.target.value });
  const err = (n: string) => fieldError(save.error, n);
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="sm" aria-labelledby="address-title">
      <DialogTitle id="address-title">{address ? t('engineers.addresses.edit') : t('engineers.addresses.add')}</DialogTitle>
      <DialogContent>
        <FormAlert message={formProblem(save.error, ['kind', 'province_id', 'city', 'address', 'postal_code'])} />
        <Stack spacing={2} sx={{ mt: 1 }}>
          <TextField id="address-kind" select label={t('engineers.addresses.kind')} value={v.kind} onChange={set('kind')}>
            {ADDRESS_KINDS.map((k) => (
              <MenuItem key={k} value={k}>
                {t(`engineers.addressKinds.${k}`)}
              </MenuItem>
            ))}
          </TextField>
          <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
            <TextField id="address-province" select label={t('officers.province')} value={v.province_id} onChange={set('province_id')} error={Boolean(err('province_id'))} helperText={err('province_id')} fullWidth>
              {provinces.data?.items.map((p) => (
                <MenuItem key={p.id} value={p.id}>
                  {p.name_fa}
                </MenuItem>
              ))}
            </TextField>
            <TextField id="address-city" label={t('officers.city')} value={v.city} onChange={set('city')} error={Boolean(err('city'))} helperText={err('city')} fullWidth />
          </Stack>
          <TextField id="address-text" label={t('officers.address')} value={v.address} onChange={set('address')} error={Boolean(err('address'))} helperText={err('address')} multiline minRows={2} />
          <TextField id="address-postal" label={t('engineers.addresses.postal')} value={v.postal_code} onChange={set('postal_code')} error={Boolean(err('postal_code'))} helperText={err('postal_code')} slotProps={{ htmlInput: { dir: 'ltr', inputMode: 'numeric' } }} />
          {/* Guide 004: every letter of the organisation goes to the legal domicile. */}
          {v.kind === 'legal_domicile' ? (
            <FormControlLabel control={<Switch checked={correspondence} onChange={(e) => setCorrespondence(e.target.checked)} />} label={t('engineers.addresses.correspondence')} />
          ) : (
            <Typography variant="body2" color="text.secondary">
              {t('engineers.addresses.lettersToDomicile')}
            </Typography>
          )}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{t('admin.cancel')}</Button>
        <Button variant="contained" disabled={save.isPending} onClick={() => save.mutate(body())}>
          {t('engineers.save')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

function ContactsTab({ record }: { record: EngineerRecord }) {
  const { t } = useTranslation();
  const [contact, setContact] = useState({ kind: 'mobile', value: '' });
  const [editing, setEditing] = useState<Address | null | 'new'>(null);
  const [removing, setRemoving] = useState<{ kind: 'contact' | 'address'; id: string } | null>(null);
  const add = useAddContact({ onSuccess: () => setContact({ ...contact, value: '' }) });
  const toggle = useEditContact();
  const correspond = useCorrespondenceAddress();
  const remove = useRemoveContactOrAddress({ onSuccess: () => setRemoving(null) });
  const failure = add.error ?? toggle.error ?? correspond.error ?? remove.error;
  return (
    <Stack spacing={2}>
      <Section title={t('engineers.contacts.title')}>
        <FormAlert message={failure ? problemText(failure) : null} />
        <List aria-label={t('engineers.contacts.title')}>
          {record.contacts.map((c) => (
            <ListItem
              key={c.id}
              divider
              secondaryAction={
                <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
                  <FormControlLabel control={<Switch checked={c.active} onChange={() => toggle.mutate({ id: c.id, body: { kind: c.kind, value: c.value, active: !c.active } })} slotProps={{ input: { 'aria-label': t('engineers.contacts.active') } }} />} label={t('engineers.contacts.active')} />
                  <Button size="small" color="error" onClick={() => setRemoving({ kind: 'contact', id: c.id })}>
                    {t('engineers.remove')}
                  </Button>
                </Stack>
              }
            >
              <ListItemText primary={<span dir="ltr">{c.value}</span>} secondary={t(`engineers.contactKinds.${c.kind}`)} />
            </ListItem>
          ))}
        </List>
        <Stack component="form" direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ mt: 1 }} onSubmit={(e) => { e.preventDefault(); add.mutate({ ...contact, value: toAsciiDigits(contact.value), active: true }); }}>
          <TextField id="contact-kind" select label={t('engineers.contacts.kind')} value={contact.kind} onChange={(e) => setContact({ ...contact, kind: e.target.value })} sx={{ minWidth: 180 }}>
            {CONTACT_KINDS.map((k) => (
              <MenuItem key={k} value={k}>
                {t(`engineers.contactKinds.${k}`)}
              </MenuItem>
            ))}
          </TextField>
          <TextField id="contact-value" label={t('engineers.contacts.value')} value={contact.value} onChange={(e) => setContact({ ...contact, value: e.target.value })} error={Boolean(fieldError(add.error, 'value'))} helperText={fieldError(add.error, 'value')} fullWidth slotProps={{ htmlInput: { dir: 'ltr' } }} />
          <Button type="submit" variant="outlined" disabled={add.isPending}>
            {t('engineers.contacts.add')}
          </Button>
        </Stack>
      </Section>
      <Section title={t('engineers.addresses.title')} action={<Button variant="outlined" onClick={() => setEditing('new')}>{t('engineers.addresses.add')}</Button>}>
        <Typography color="text.secondary" sx={{ mb: 1 }}>
          {t('engineers.addresses.intro')}
        </Typography>
        <List aria-label={t('engineers.addresses.title')}>
          {record.addresses.map((a) => (
            <ListItem
              key={a.id}
              divider
              secondaryAction={
                <Stack direction="row" spacing={1}>
                  {!a.correspondence && a.kind === 'legal_domicile' && (
                    <Button size="small" onClick={() => correspond.mutate(a.id)}>
                      {t('engineers.addresses.makeCorrespondence')}
                    </Button>
                  )}
                  <Button size="small" onClick={() => setEditing(a)}>
                    {t('engineers.edit')}
                  </Button>
                  <Button size="small" color="error" onClick={() => setRemoving({ kind: 'address', id: a.id })}>
                    {t('engineers.remove')}
                  </Button>
                </Stack>
              }
            >
              <ListItemText
                primary={
                  <>
                    {t(`engineers.addressKinds.${a.kind}`)} {a.correspondence && <Chip size="small" color="primary" label={t('engineers.addresses.correspondenceChip')} />}
                  </>
                }
                secondary={`${a.city} — ${a.address}${a.postal_code ? ` — ${a.postal_code}` : ''}`}
              />
            </ListItem>
          ))}
        </List>
      </Section>
      {editing && <AddressDialog address={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
      {removing && <ConfirmDialog title={t('engineers.removeTitle')} text={t('engineers.confirmRemove')} confirm={t('engineers.remove')} busy={remove.isPending} onConfirm={() => remove.mutate(removing)} onCancel={() => setRemoving(null)} />}
    </Stack>
  );
}

function DocumentsTab({ record }: { record: EngineerRecord }) {
  const { t } = useTranslation();
  const [v, setV] = useState({ kind: 'official_lease', title: '', description: '' });
  const [file, setFile] = useState<{ id: string; name: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [removing, setRemoving] = useState<string | null>(null);
  const add = useAddDocument({
    onSuccess: () => {
      setV({ ...v, title: '', description: '' });
      setFile(null);
    },
  });
  const remove = useRemoveDocument({ onSuccess: () => setRemoving(null) });
  const proof = record.residence_proof;
  return (
    <Section title={t('engineers.tabs.documents')}>
      {proof.required && (
        <Alert severity={proof.provided ? 'success' : 'warning'} sx={{ mb: 2 }}>
          {proof.provided ? t('engineers.residenceProvided') : t('engineers.residenceNeeded')}
        </Alert>
      )}
      <FormAlert message={remove.error ? problemText(remove.error) : null} />
      <List aria-label={t('engineers.tabs.documents')}>
        {record.documents.map((d) => (
          <ListItem key={d.id} divider secondaryAction={<Button size="small" color="error" onClick={() => setRemoving(d.id)}>{t('engineers.remove')}</Button>}>
            <ListItemText primary={`${d.title} — ${t(`engineers.documentKinds.${d.kind}`)}`} secondary={d.description} />
          </ListItem>
        ))}
        {record.documents.length === 0 && (
          <ListItem>
            <ListItemText primary={t('engineers.documents.none')} />
          </ListItem>
        )}
      </List>
      <Stack component="form" spacing={2} sx={{ mt: 2 }} onSubmit={(e) => { e.preventDefault(); add.mutate({ ...v, description: v.description.trim() || null, file_id: file?.id ?? '' }); }}>
        <Typography variant="subtitle1" component="h3">
          {t('engineers.documents.add')}
        </Typography>
        <FormAlert message={formProblem(add.error, ['kind', 'title', 'description', 'file_id'])} />
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
          <TextField id="document-kind" select label={t('engineers.documents.kind')} value={v.kind} onChange={(e) => setV({ ...v, kind: e.target.value })} sx={{ minWidth: 220 }}>
            {DOCUMENT_KINDS.map((k) => (
              <MenuItem key={k} value={k}>
                {t(`engineers.documentKinds.${k}`)}
              </MenuItem>
            ))}
          </TextField>
          <TextField id="document-title" label={t('engineers.documents.title')} value={v.title} onChange={(e) => setV({ ...v, title: e.target.value })} error={Boolean(fieldError(add.error, 'title'))} helperText={fieldError(add.error, 'title')} fullWidth />
        </Stack>
        <TextField id="document-description" label={t('engineers.documents.description')} value={v.description} onChange={(e) => setV({ ...v, description: e.target.value })} fullWidth />
        <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap', alignItems: 'center' }}>
          <FileButton purpose="engineer_document" accept={DOCS} label={t('engineers.documents.file')} testId="document-file" onBusy={setBusy} onUploaded={(f) => setFile({ id: f.id, name: f.name ?? '' })} />
          {file && <Chip label={file.name || t('engineers.documents.fileAttached')} onDelete={() => setFile(null)} />}
        </Stack>
        {fieldError(add.error, 'file_id') && <Alert severity="error">{fieldError(add.error, 'file_id')}</Alert>}
        <Button type="submit" variant="contained" disabled={add.isPending || busy || !file} sx={{ alignSelf: 'flex-start' }}>
          {t('engineers.documents.save')}
        </Button>
      </Stack>
      {removing && <ConfirmDialog title={t('engineers.removeTitle')} text={t('engineers.confirmRemove')} confirm={t('engineers.remove')} busy={remove.isPending} onConfirm={() => remove.mutate(removing)} onCancel={() => setRemoving(null)} />}
    </Section>
  );
}

function FamilyTab({ record }: { record: EngineerRecord }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const [v, setV] = useState({ relation: 'spouse', first_name: '', last_name: '', national_code: '' });
  const [birth, setBirth] = useState<Date | null>(null);
  const [removing, setRemoving] = useState<string | null>(null);
  const add = useAddRelative({
    onSuccess: () => {
      setV({ relation: 'child', first_name: '', last_name: '', national_code: '' });
      setBirth(null);
    },
  });
  const remove = useRemoveRelative({ onSuccess: () => setRemoving(null) });
  const err = (n: string) => fieldError(add.error, n);
  return (
    <Section title={t('engineers.tabs.family')}>
      <FormAlert message={remove.error ? problemText(remove.error) : null} />
      <List aria-label={t('engineers.tabs.family')}>
        {record.relatives.map((r) => (
          <ListItem key={r.id} divider secondaryAction={<Button size="small" color="error" onClick={() => setRemoving(r.id)}>{t('engineers.remove')}</Button>}>
            <ListItemText primary={`${r.first_name} ${r.last_name} — ${t(`engineers.relations.${r.relation}`)}`} secondary={`${r.national_code} · ${formatDate(asDate(r.birth_date), lang)}`} />
          </ListItem>
        ))}
        {record.relatives.length === 0 && (
          <ListItem>
            <ListItemText primary={t('engineers.family.none')} />
          </ListItem>
        )}
      </List>
      <Stack component="form" spacing={2} sx={{ mt: 2 }} onSubmit={(e) => { e.preventDefault(); add.mutate({ ...v, national_code: toAsciiDigits(v.national_code), birth_date: isoDay(birth) ?? '' }); }}>
        <FormAlert message={formProblem(add.error, ['relation', 'first_name', 'last_name', 'national_code', 'birth_date'])} />
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
          <TextField id="relative-relation" select label={t('engineers.family.relation')} value={v.relation} onChange={(e) => setV({ ...v, relation: e.target.value })} sx={{ minWidth: 140 }}>
            <MenuItem value="spouse">{t('engineers.relations.spouse')}</MenuItem>
            <MenuItem value="child">{t('engineers.relations.child')}</MenuItem>
          </TextField>
          <TextField id="relative-first" label={t('fields.firstName')} value={v.first_name} onChange={(e) => setV({ ...v, first_name: e.target.value })} error={Boolean(err('first_name'))} helperText={err('first_name')} fullWidth />
          <TextField id="relative-last" label={t('fields.lastName')} value={v.last_name} onChange={(e) => setV({ ...v, last_name: e.target.value })} error={Boolean(err('last_name'))} helperText={err('last_name')} fullWidth />
        </Stack>
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
          <TextField id="relative-code" label={t('fields.nationalCode')} value={v.national_code} onChange={(e) => setV({ ...v, national_code: e.target.value })} error={Boolean(err('national_code'))} helperText={err('national_code')} fullWidth slotProps={{ htmlInput: { dir: 'ltr', inputMode: 'numeric' } }} />
          <DatePicker label={t('fields.birthDate')} value={birth} onChange={(d) => setBirth(d && !Number.isNaN(d.getTime()) ? d : null)} disableFuture slotProps={{ textField: { id: 'relative-birth', fullWidth: true, error: Boolean(err('birth_date')), helperText: err('birth_date') } }} />
        </Stack>
        <Button type="submit" variant="contained" disabled={add.isPending} sx={{ alignSelf: 'flex-start' }}>
          {t('engineers.family.add')}
        </Button>
      </Stack>
      {removing && <ConfirmDialog title={t('engineers.removeTitle')} text={t('engineers.confirmRemove')} confirm={t('engineers.remove')} busy={remove.isPending} onConfirm={() => remove.mutate(removing)} onCancel={() => setRemoving(null)} />}
    </Section>
  );
}

/** Licence information: read-only for now (EN-03). */
export function LicenceTab({ record }: { record: EngineerRecord }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const l = record.licence;
  return (
    <Section title={t('engineers.tabs.licence')}>
      <Typography color="text.secondary" sx={{ mb: 1 }}>
        {t('engineers.licence.readOnly')}
      </Typography>
      <List aria-label={t('engineers.tabs.licence')}>
        <ListItem>
          <ListItemText primary={t('engineers.licence.number')} secondary={l.number ?? '—'} />
        </ListItem>
        <ListItem>
          <ListItemText primary={t('engineers.licence.grade')} secondary={l.grade ?? '—'} />
        </ListItem>
        <ListItem>
          <ListItemText primary={t('engineers.licence.expires')} secondary={l.expires_on ? formatDate(asDate(l.expires_on), lang) : '—'} />
        </ListItem>
      </List>
    </Section>
  );
}

const TABS = ['main', 'education', 'contacts', 'documents', 'family', 'licence'] as const;

/** The engineer's portal (EN-02..08): renewal, and the record tab by tab, each saved on its own. */
export function EngineerPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const [tab, setTab] = useState<(typeof TABS)[number]>('main');
  const record = useMyEngineerRecord();
  if (record.isPending) return <Typography>{t('common.loading')}</Typography>;
  if (record.error) {
    return (
      <Alert severity={record.error instanceof ApiProblem && record.error.status === 404 ? 'info' : 'error'}>
        {record.error instanceof ApiProblem && record.error.status === 404 ? t('engineers.noRecord') : problemText(record.error)}
      </Alert>
    );
  }
  const r = record.data;
  return (
    <Stack spacing={2}>
      <Typography variant="h5" component="h1">
        {t('engineers.title')}
      </Typography>
      <Paper variant="outlined" sx={{ p: 2 }}>
        <Typography variant="h6" component="p">
          {r.first_name} {r.last_name}
        </Typography>
        <Typography color="text.secondary">
          {/* The membership number «1-20-04512» is a code: isolated, left to right, in either language. */}
          <Trans i18nKey="engineers.summary" values={{ org: r.organisation.name, number: r.membership_number, date: formatDate(asDate(r.expires_on), lang) }} components={{ n: <bdi dir="ltr" data-testid="membership-number" /> }} />
        </Typography>
      </Paper>
      <Renewal record={r} />
      <Tabs value={tab} onChange={(_, v: (typeof TABS)[number]) => setTab(v)} variant="scrollable" scrollButtons="auto" aria-label={t('engineers.tabsLabel')}>
        {TABS.map((k) => (
          <Tab key={k} value={k} label={t(`engineers.tabs.${k}`)} id={`engineer-tab-${k}`} aria-controls={`engineer-panel-${k}`} />
        ))}
      </Tabs>
      <div role="tabpanel" id={`engineer-panel-${tab}`} aria-labelledby={`engineer-tab-${tab}`}>
        {tab === 'main' && <MainTab record={r} />}
        {tab === 'education' && <EducationTab record={r} />}
        {tab === 'contacts' && <ContactsTab record={r} />}
        {tab === 'documents' && <DocumentsTab record={r} />}
        {tab === 'family' && <FamilyTab record={r} />}
        {tab === 'licence' && <LicenceTab record={r} />}
      </div>
    </Stack>
  );
}
