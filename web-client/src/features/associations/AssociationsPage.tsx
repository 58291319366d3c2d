import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardActionArea from '@mui/material/CardActionArea';
import CardContent from '@mui/material/CardContent';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink } from 'react-router';
import { ApiProblem } from '../../api/client';
import { useAuth } from '../../app/auth';
import { FormAlert } from '../../components/forms';
import { toPersianDigits } from '../../lib/digits';
import { useAssociationList } from '../../api/reference';
import { useCreateAssociation } from './api';

/** The commission creates an association (code and name; the rest on its page). */
function CreateAssociation() {
  const { t } = useTranslation();
  const [values, setValues] = useState({ code: '', name: '', email: '', website: '' });
  const create = useCreateAssociation({ onSuccess: () => setValues({ code: '', name: '', email: '', website: '' }) });
  const fieldError = (f: string) => (create.error instanceof ApiProblem ? create.error.fields[f]?.join(' ') : undefined);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(values);
  };
  return (
    <Paper variant="outlined" component="form" noValidate onSubmit={submit} sx={{ p: 2 }}>
      <Typography variant="h6" component="h2">
        {t('associations.create')}
      </Typography>
      <FormAlert message={create.isSuccess ? t('associations.created') : null} severity="success" />
      <FormAlert message={create.error ? create.error.message : null} />
      <Stack direction={{ xs: 'column', md: 'row' }} spacing={2} sx={{ my: 2 }}>
        {(['code', 'name', 'email', 'website'] as const).map((f) => (
          <TextField
            key={f}
            id={`association-${f}`}
            label={t(`associations.${f}`)}
            value={values[f]}
            onChange={(e) => setValues({ ...values, [f]: e.target.value })}
            error={Boolean(fieldError(f))}
            helperText={fieldError(f)}
            slotProps={{ htmlInput: { dir: f === 'name' ? undefined : 'ltr' } }}
            fullWidth
          />
        ))}
      </Stack>
      <Button type="submit" variant="contained" disabled={create.isPending}>
        {t('associations.create')}
      </Button>
    </Paper>
  );
}

export function AssociationsPage() {
  const { t, i18n } = useTranslation();
  const { me } = useAuth();
  const list = useAssociationList();
  const n = (v: number) => (i18n.language === 'fa' ? toPersianDigits(v) : String(v));
  return (
    <Stack spacing={2}>
      <Stack direction="row" sx={{ justifyContent: 'space-between', alignItems: 'center', flexWrap: 'wrap', gap: 1 }}>
        <Typography variant="h5" component="h1">
          {t('associations.title')}
        </Typography>
        <Button component={RouterLink} to="/membership-status">
          {t('associations.statusCheck')}
        </Button>
      </Stack>
      {me?.grants.some((g) => g.role === 'commission_admin') && <CreateAssociation />}
      <FormAlert message={list.error ? list.error.message : null} />
      <Stack spacing={1.5} data-testid="association-list">
        {list.data?.items.map((a) => (
          <Card key={a.id} variant="outlined">
            <CardActionArea component={RouterLink} to={`/associations/${a.id}`}>
              <CardContent>
                <Typography variant="h6" component="h2">
                  {a.name}
                </Typography>
                <Typography color="text.secondary">
                  {n(a.member_count)} {t('associations.members')}
                </Typography>
              </CardContent>
            </CardActionArea>
          </Card>
        ))}
      </Stack>
    </Stack>
  );
}
