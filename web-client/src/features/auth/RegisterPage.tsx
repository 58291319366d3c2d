import { zodResolver } from '@hookform/resolvers/zod';
import Button from '@mui/material/Button';
import Link from '@mui/material/Link';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useRef, useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink, useNavigate } from 'react-router';
import { z } from 'zod';
import { ApiProblem } from '../../api/client';
import { FormCaptcha, type CaptchaHandle } from '../../components/CaptchaField';
import { FormAlert, FormField, NationalCodeField, applyProblem, rules, useRevalidateOnLanguage } from '../../components/forms';
import i18n from '../../i18n';
import { toAsciiDigits } from '../../lib/digits';
import { useRegister } from './api';

const schema = () =>
  z
    .object({
      national_code: rules.nationalCode(),
      first_name: rules.required(),
      last_name: rules.required(),
      mobile: rules.optionalMobile(),
      email: rules.optionalEmail(),
      password: rules.newPassword(),
      password_repeat: z.string(),
      captcha_answer: z.string(),
    })
    .refine((v) => v.password === v.password_repeat, { path: ['password_repeat'], message: i18n.t('validation.passwordMismatch') });
type Values = z.infer<ReturnType<typeof schema>>;
const FIELDS = ['national_code', 'first_name', 'last_name', 'mobile', 'email', 'password', 'captcha_answer'] as const;

export function RegisterPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const captcha = useRef<CaptchaHandle>(null);
  const [problem, setProblem] = useState<string | null>(null);
  // An organisation recorded this national code: its owner claims it through recovery.
  const [claim, setClaim] = useState(false);
  const form = useForm<Values>({
    resolver: (values, ctx, options) => zodResolver(schema())(values, ctx, options),
    defaultValues: { national_code: '', first_name: '', last_name: '', mobile: '', email: '', password: '', password_repeat: '', captcha_answer: '' },
  });
  useRevalidateOnLanguage(form);

  const submit = (v: Values) =>
    register.mutate({
      national_code: toAsciiDigits(v.national_code),
      first_name: v.first_name,
      last_name: v.last_name,
      mobile: v.mobile.trim() === '' ? null : toAsciiDigits(v.mobile),
      email: v.email.trim() === '' ? null : v.email.trim(),
      password: v.password,
      captcha_id: captcha.current?.id(),
      captcha_answer: toAsciiDigits(v.captcha_answer),
    });
  const register = useRegister({
    onSuccess: () => navigate('/login?registered=1'),
    onError: (error) => {
      setClaim(error instanceof ApiProblem && error.code === 'record_claim_by_recovery');
      setProblem(applyProblem(form, error, FIELDS));
      captcha.current?.renew();
    },
  });

  return (
    <Paper variant="outlined" sx={{ p: { xs: 2, sm: 4 }, maxWidth: 560, mx: 'auto' }}>
      <Typography variant="h5" component="h1" gutterBottom>
        {t('register.title')}
      </Typography>
      <Typography color="text.secondary">{t('register.intro')}</Typography>
      <FormAlert message={problem} />
      {claim && (
        <Button component={RouterLink} to="/forgot-password" variant="outlined" sx={{ mt: 1 }} data-testid="claim-by-recovery">
          {t('register.claimByRecovery')}
        </Button>
      )}
      <form
        noValidate
        onSubmit={form.handleSubmit((v) => {
          setProblem(null);
          setClaim(false);
          submit(v);
        })}
      >
        <NationalCodeField form={form} name="national_code" />
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={{ sm: 2 }}>
          <FormField form={form} name="first_name" label={t('fields.firstName')} autoComplete="given-name" />
          <FormField form={form} name="last_name" label={t('fields.lastName')} autoComplete="family-name" />
        </Stack>
        <FormField
          form={form}
          name="mobile"
          label={t('fields.mobile')}
          helperText={`${t('hints.mobile')} — ${t('hints.optional')}`}
          autoComplete="tel"
          slotProps={{ htmlInput: { inputMode: 'tel', dir: 'ltr' } }}
        />
        <FormField
          form={form}
          name="email"
          label={t('fields.email')}
          helperText={t('hints.optional')}
          type="email"
          autoComplete="email"
          slotProps={{ htmlInput: { dir: 'ltr' } }}
        />
        <FormField form={form} name="password" label={t('fields.password')} helperText={t('hints.password')} type="password" autoComplete="new-password" />
        <FormField form={form} name="password_repeat" label={t('fields.passwordRepeat')} type="password" autoComplete="new-password" />
        <FormCaptcha form={form} captchaRef={captcha} />
        <Button type="submit" variant="contained" size="large" fullWidth disabled={register.isPending} sx={{ mt: 2 }}>
          {t('register.submit')}
        </Button>
      </form>
      <Typography sx={{ mt: 2 }}>
        <Link component={RouterLink} to="/login">
          {t('register.haveAccount')}
        </Link>
      </Typography>
    </Paper>
  );
}
