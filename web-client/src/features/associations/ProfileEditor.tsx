import Avatar from '@mui/material/Avatar';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { DatePicker } from '@mui/x-date-pickers/DatePicker';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiProblem, type Schemas } from '../../api/client';
import { FileButton } from '../../components/FileButton';
import { FormAlert } from '../../components/forms';
import { asDate, isoDay } from '../../lib/dates';
import { useSetQualifications, useUpdateAssociation } from './api';

export const DEGREES: Schemas['DegreeLevel'][] = ['associate', 'bachelor', 'master', 'professional_doctorate', 'phd', 'specialist', 'subspecialist'];

type Association = Schemas['AssociationDto'];

/** The association's admins edit its profile and logo (AS-01). */
export function ProfileEditor({ association, open, onClose }: { association: Association; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const [values, setValues] = useState({
    name: association.name,
    email: association.email ?? '',
    phone: association.phone ?? '',
    website: association.website ?? '',
  });
  const [statute, setStatute] = useState<Date | null>(association.statute_date ? new Date(asDate(association.statute_date)) : null);
  const [logo, setLogo] = useState<{ id: string; url: string } | null>(null);
  const [uploading, setUploading] = useState(false);
  const save = useUpdateAssociation(association.id, { onSuccess: onClose });
  const saveProfile = () => save.mutate({ ...values, statute_date: isoDay(statute) ?? '', ...(logo ? { logo_file_id: logo.id } : {}) });
  const fieldError = (f: string) => (save.error instanceof ApiProblem ? save.error.fields[f]?.join(' ') : undefined);
  const logoUrl = logo?.url ?? association.logo_url;
  return (
    <Dialog open={open} onClose={onClose} fullWidth maxWidth="sm">
      <DialogTitle>{t('associations.editProfile')}</DialogTitle>
      <DialogContent>
        <FormAlert message={save.error ? save.error.message : null} />
        <Stack spacing={2} sx={{ mt: 1 }}>
          {(['name', 'email', 'phone', 'website'] as const).map((f) => (
            <TextField
              key={f}
              id={`profile-${f}`}
              label={t(`associations.${f}`)}
              value={values[f]}
              onChange={(e) => setValues({ ...values, [f]: e.target.value })}
              error={Boolean(fieldError(f))}
              helperText={fieldError(f)}
              slotProps={{ htmlInput: { dir: f === 'name' ? undefined : 'ltr' } }}
              fullWidth
            />
          ))}
          <DatePicker label={t('associations.statuteDate')} value={statute} onChange={setStatute} slotProps={{ textField: { fullWidth: true, helperText: fieldError('statute_date') }, field: { clearable: true } }} />
          <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}>
            <Avatar src={logoUrl ?? undefined} alt={t('associations.logo')} variant="rounded" sx={{ width: 64, height: 64 }} />
            <FileButton purpose="association_logo" accept="image/png,image/jpeg,image/webp" label={t('associations.chooseLogo')} testId="logo-input" onUploaded={(info) => setLogo({ id: info.id, url: info.url })} onBusy={setUploading} />
          </Stack>
          <FormAlert message={fieldError('logo_file_id') ?? null} />
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{t('admin.cancel')}</Button>
        <Button variant="contained" disabled={save.isPending || uploading} onClick={saveProfile}>
          {t('profile.save')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/** The fields and degrees that qualify for membership (AS-02); saved all at once. */
export function QualificationsEditor({ association, onDone }: { association: Association; onDone: () => void }) {
  const { t } = useTranslation();
  const [items, setItems] = useState(association.qualifications.map((q) => ({ field: q.field, degree_level: q.degree_level as string })));
  const [field, setField] = useState('');
  const [degree, setDegree] = useState<string>('bachelor');
  const save = useSetQualifications(association.id, { onSuccess: onDone });
  const add = () => {
    if (!field.trim()) return;
    setItems([...items, { field: field.trim(), degree_level: degree }]);
    setField('');
  };
  return (
    <Stack spacing={2} sx={{ mt: 1 }}>
      <FormAlert message={save.error ? [save.error.message, ...Object.values((save.error as ApiProblem).fields ?? {}).flat()].join(' ') : null} />
      <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap' }}>
        {items.length === 0 && <Typography color="text.secondary">{t('associations.noQualifications')}</Typography>}
        {items.map((q, i) => (
          <Chip key={`${q.field}-${q.degree_level}-${i}`} label={`${q.field} — ${t(`associations.degrees.${q.degree_level}`)}`} onDelete={() => setItems(items.filter((_, j) => j !== i))} />
        ))}
      </Stack>
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1}>
        <TextField id="qualification-field" size="small" label={t('associations.field')} value={field} onChange={(e) => setField(e.target.value)} fullWidth />
        <TextField id="qualification-degree" size="small" select label={t('associations.degree')} value={degree} onChange={(e) => setDegree(e.target.value)} sx={{ minWidth: 200 }}>
          {DEGREES.map((d) => (
            <MenuItem key={d} value={d}>
              {t(`associations.degrees.${d}`)}
            </MenuItem>
          ))}
        </TextField>
        <Button onClick={add}>{t('associations.add')}</Button>
      </Stack>
      <Stack direction="row" spacing={1}>
        <Button variant="contained" disabled={save.isPending} onClick={() => save.mutate(items)}>
          {t('associations.saveQualifications')}
        </Button>
        <Button onClick={onDone}>{t('admin.cancel')}</Button>
      </Stack>
    </Stack>
  );
}
