import { zodResolver } from '@hookform/resolvers/zod';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { z } from 'zod';
import { useAuth } from '../../app/auth';
import { FormAlert, FormField, applyProblem, rules, useRevalidateOnLanguage } from '../../components/forms';
import i18n from '../../i18n';
import { useChangePassword } from './api';

const schema = () =>
  z
    .object({ current_password: rules.required(), new_password: rules.newPassword(), new_password_repeat: z.string() })
    .refine((v) => v.new_password === v.new_password_repeat, {
      path: ['new_password_repeat'],
      message: i18n.t('validation.passwordMismatch'),
    });
type Values = z.infer<ReturnType<typeof schema>>;

export function ChangePasswordPage() {
  const { t } = useTranslation();
  const auth = useAuth();
  const navigate = useNavigate();
  const [problem, setProblem] = useState<string | null>(null);
  const form = useForm<Values>({
    resolver: (values, ctx, options) => zodResolver(schema())(values, ctx, options),
    defaultValues: { current_password: '', new_password: '', new_password_repeat: '' },
  });
  useRevalidateOnLanguage(form);
  const changePassword = useChangePassword({
    onSuccess: () => navigate('/profile?password=changed'),
    onError: (error) => setProblem(applyProblem(form, error, ['current_password', 'new_password'])),
  });
  return (
    <Paper variant="outlined" sx={{ p: { xs: 2, sm: 4 }, maxWidth: 480, mx: 'auto' }}>
      <Typography variant="h5" component="h1" gutterBottom>
        {t('changePassword.title')}
      </Typography>
      <FormAlert message={auth.mustChangePassword ? t('changePassword.forced') : null} severity="warning" />
      <FormAlert message={problem} />
      <form
        noValidate
        onSubmit={form.handleSubmit((v) => {
          setProblem(null);
          changePassword.mutate({ current_password: v.current_password, new_password: v.new_password });
        })}
      >
        <FormField form={form} name="current_password" label={t('fields.currentPassword')} type="password" autoComplete="current-password" />
        <FormField form={form} name="new_password" label={t('fields.newPassword')} helperText={t('hints.password')} type="password" autoComplete="new-password" />
        <FormField form={form} name="new_password_repeat" label={t('fields.passwordRepeat')} type="password" autoComplete="new-password" />
        <Button type="submit" variant="contained" size="large" fullWidth disabled={changePassword.isPending} sx={{ mt: 2 }}>
          {t('changePassword.submit')}
        </Button>
      </form>
    </Paper>
  );
}
