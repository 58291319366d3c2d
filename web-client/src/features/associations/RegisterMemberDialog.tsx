import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiProblem, type Schemas } from '../../api/client';
import { FormAlert } from '../../components/forms';
import { toAsciiDigits } from '../../lib/digits';
import { useRegisterMember } from './api';

/**
 * An admin registers a person as an approved member directly (AS-03a). Someone new to the system
 * is recorded with the names and contacts given, and gets an account through "forgot password".
 */
export function RegisterMemberDialog({ id, qualifications, onClose, onDone }: { id: string; qualifications: Schemas['Qualification'][]; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const [choice, setChoice] = useState(0);
  const [person, setPerson] = useState({ first_name: '', last_name: '', mobile: '', email: '' });
  const set = (k: keyof typeof person) => (e: { target: { value: string } }) => setPerson({ ...person, [k]: e.target.value });
  const register = useRegisterMember(id, {
    onSuccess: () => {
      onDone();
      onClose();
    },
  });
  const submit = () => {
    const q = qualifications[choice];
    register.mutate({
      national_code: toAsciiDigits(code),
      field: q?.field ?? '',
      degree_level: q?.degree_level ?? '',
      first_name: person.first_name.trim() || null,
      last_name: person.last_name.trim() || null,
      mobile: person.mobile.trim() ? toAsciiDigits(person.mobile) : null,
      email: person.email.trim() || null,
    });
  };
  const fieldError = (f: string) => (register.error instanceof ApiProblem ? register.error.fields[f]?.join(' ') : undefined);
  return (
    <Dialog open onClose={onClose} fullWidth>
      <DialogTitle>{t('associations.registerMember')}</DialogTitle>
      <DialogContent>
        <FormAlert message={register.error && !fieldError('national_code') ? [register.error.message, fieldError('field')].filter(Boolean).join(' ') : null} />
        <Stack spacing={2} sx={{ mt: 1 }}>
          <TextField id="register-national-code" label={t('associations.nationalCode')} value={code} onChange={(e) => setCode(e.target.value)} error={Boolean(fieldError('national_code'))} helperText={fieldError('national_code')} slotProps={{ htmlInput: { dir: 'ltr', inputMode: 'numeric' } }} fullWidth />
          <TextField id="register-qualification" select label={t('associations.qualifications')} value={choice} onChange={(e) => setChoice(Number(e.target.value))} disabled={qualifications.length === 0} helperText={qualifications.length === 0 ? t('associations.noQualifications') : undefined}>
            {qualifications.map((q, i) => (
              <MenuItem key={`${q.field}-${q.degree_level}`} value={i}>
                {`${q.field} — ${t(`associations.degrees.${q.degree_level}`)}`}
              </MenuItem>
            ))}
          </TextField>
          <Typography variant="body2" color="text.secondary">
            {t('associations.newPersonHint')}
          </Typography>
          <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
            <TextField id="register-first-name" label={t('fields.firstName')} value={person.first_name} onChange={set('first_name')} error={Boolean(fieldError('first_name'))} helperText={fieldError('first_name')} fullWidth />
            <TextField id="register-last-name" label={t('fields.lastName')} value={person.last_name} onChange={set('last_name')} error={Boolean(fieldError('last_name'))} helperText={fieldError('last_name')} fullWidth />
          </Stack>
          <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
            <TextField id="register-mobile" label={t('fields.mobile')} value={person.mobile} onChange={set('mobile')} error={Boolean(fieldError('mobile'))} helperText={fieldError('mobile')} slotProps={{ htmlInput: { dir: 'ltr', inputMode: 'tel' } }} fullWidth />
            <TextField id="register-email" label={t('fields.email')} value={person.email} onChange={set('email')} error={Boolean(fieldError('email'))} helperText={fieldError('email')} slotProps={{ htmlInput: { dir: 'ltr', inputMode: 'email' } }} fullWidth />
          </Stack>
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{t('admin.cancel')}</Button>
        <Button variant="contained" disabled={register.isPending || qualifications.length === 0} onClick={submit}>
          {t('associations.registerMember')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
