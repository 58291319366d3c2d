import { zodResolver } from '@hookform/resolvers/zod';
import Button from '@mui/material/Button';
import Divider from '@mui/material/Divider';
import Link from '@mui/material/Link';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { useRef, useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink, useNavigate, useSearchParams } from 'react-router';
import { z } from 'zod';
import { useAuth } from '../../app/auth';
import { FormCaptcha, type CaptchaHandle } from '../../components/CaptchaField';
import { FormAlert, FormField, NationalCodeField, applyProblem, rules, useRevalidateOnLanguage } from '../../components/forms';
import { toAsciiDigits } from '../../lib/digits';
import { useLogin, useSso } from './api';

const schema = () =>
  z.object({
    national_code: rules.nationalCode(),
    password: rules.required(),
    captcha_answer: z.string(),
  });
type Values = z.infer<ReturnType<typeof schema>>;

export function LoginPage() {
  const { t } = useTranslation();
  const auth = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const captcha = useRef<CaptchaHandle>(null);
  const [problem, setProblem] = useState<string | null>(null);
  // Rebuilt per language so client-side messages follow the switch.
  const form = useForm<Values>({
    resolver: (values, ctx, options) => zodResolver(schema())(values, ctx, options),
    defaultValues: { national_code: '', password: '', captcha_answer: '' },
  });
  useRevalidateOnLanguage(form);

  const login = useLogin({
    onSuccess: (tokens) => {
      auth.signIn(tokens);
      const next = params.get('next');
      navigate(tokens.must_change_password ? '/change-password' : next && next.startsWith('/') ? next : '/profile');
    },
    onError: (error) => {
      setProblem(applyProblem(form, error, ['national_code', 'password', 'captcha_answer']));
      captcha.current?.renew();
    },
  });

  const sso = useSso();
  const signIn = (v: Values) =>
    login.mutate({
      national_code: toAsciiDigits(v.national_code),
      password: v.password,
      captcha_id: captcha.current?.id(),
      captcha_answer: toAsciiDigits(v.captcha_answer),
      use_cookie: true,
    });
  const ssoError = params.get('sso_error');
  const ssoProblem = ssoError ? t(`login.sso.errors.${ssoError}`, { defaultValue: t('login.sso.failed') }) : null;
  const notice = params.get('registered')
    ? t('login.registered')
    : params.get('reset')
      ? t('login.reset')
      : auth.sessionEnded
        ? t('login.sessionEnded')
        : null;
  return (
    <Paper variant="outlined" sx={{ p: { xs: 2, sm: 4 }, maxWidth: 480, mx: 'auto' }}>
      <Typography variant="h5" component="h1" gutterBottom>
        {t('login.title')}
      </Typography>
      <FormAlert message={notice} severity="success" />
      <FormAlert message={problem ?? ssoProblem} />
      {sso.data?.enabled && sso.data.start_url && (
        <>
          <Button href={sso.data.start_url} variant="contained" color="secondary" size="large" fullWidth sx={{ mb: 1 }}>
            {t('login.sso.button', { provider: sso.data.label ?? '' })}
          </Button>
          <Typography variant="body2" color="text.secondary">
            {t('login.sso.hint')}
          </Typography>
          <Divider sx={{ my: 2 }}>{t('login.sso.or')}</Divider>
        </>
      )}
      <form
        noValidate
        onSubmit={form.handleSubmit((v) => {
          setProblem(null);
          signIn(v);
        })}
      >
        <NationalCodeField form={form} name="national_code" />
        <FormField form={form} name="password" label={t('fields.password')} type="password" autoComplete="current-password" />
        <FormCaptcha form={form} captchaRef={captcha} />
        <Button type="submit" variant="contained" size="large" fullWidth disabled={login.isPending} sx={{ mt: 2 }}>
          {t('login.submit')}
        </Button>
      </form>
      <Typography sx={{ mt: 2, display: 'flex', flexWrap: 'wrap', gap: 2, justifyContent: 'space-between' }}>
        <Link component={RouterLink} to="/register">
          {t('login.noAccount')}
        </Link>
        <Link component={RouterLink} to="/forgot-password">
          {t('login.forgot')}
        </Link>
      </Typography>
    </Paper>
  );
}
