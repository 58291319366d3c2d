import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiProblem, api, unwrap, type Schemas } from '../../api/client';
import { FormAlert } from '../../components/forms';
import { toAsciiDigits } from '../../lib/digits';

/** An admin registers a registered person as an approved member directly (AS-03a). */
export function RegisterMemberDialog({ id, qualifications, onClose, onDone }: { id: string; qualifications: Schemas['Qualification'][]; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const [choice, setChoice] = useState(0);
  const register = useMutation({
    mutationFn: () => {
      const q = qualifications[choice];
      return unwrap(api.POST('/api/v1/associations/{id}/members', { params: { path: { id } }, body: { national_code: toAsciiDigits(code), field: q?.field ?? '', degree_level: q?.degree_level ?? '' } }));
    },
    onSuccess: () => {
      onDone();
      onClose();
    },
  });
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
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{t('admin.cancel')}</Button>
        <Button variant="contained" disabled={register.isPending || qualifications.length === 0} onClick={() => register.mutate()}>
          {t('associations.registerMember')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
