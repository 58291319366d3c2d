import { zodResolver } from '@hookform/resolvers/zod';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import Paper from '@mui/material/Paper';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import Typography from '@mui/material/Typography';
import { useRef, useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink, useNavigate } from 'react-router';
import { z } from 'zod';
import type { Schemas } from '../../api/client';
import { FormCaptcha, type CaptchaHandle } from '../../components/CaptchaField';
import { FormAlert, FormField, NationalCodeField, applyProblem, rules, useRevalidateOnLanguage } from '../../components/forms';
import i18n from '../../i18n';
import { toAsciiDigits, toPersianDigits } from '../../lib/digits';
import { useRequestResetCode, useRequestSmsRecovery, useResetWithCode, useSmsRecoveryStatus } from './api';

const askSchema = () => z.object({ national_code: rules.nationalCode(), captcha_answer: z.string() });
type Ask = z.infer<ReturnType<typeof askSchema>>;

/** What either recovery option sends: the national code and the captcha, digits made ASCII. */
const askBody = (v: Ask, captchaId?: string) => ({ national_code: toAsciiDigits(v.national_code), captcha_id: captchaId, captcha_answer: toAsciiDigits(v.captcha_answer) });

const resetSchema = () =>
  z
    .object({ code: rules.required(), new_password: rules.newPassword(), new_password_repeat: z.string() })
    .refine((v) => v.new_password === v.new_password_repeat, {
      path: ['new_password_repeat'],
      message: i18n.t('validation.passwordMismatch'),
    });
type Reset = z.infer<ReturnType<typeof resetSchema>>;

/** The national code and captcha both options start with. */
function AskForm({ submitLabel, onSubmit, pending }: { submitLabel: string; onSubmit: (v: Ask, captchaId: string | undefined, fail: (e: unknown) => void) => void; pending: boolean }) {
  const captcha = useRef<CaptchaHandle>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const form = useForm<Ask>({
    resolver: (values, ctx, options) => zodResolver(askSchema())(values, ctx, options),
    defaultValues: { national_code: '', captcha_answer: '' },
  });
  useRevalidateOnLanguage(form);
  return (
    <form
      noValidate
      onSubmit={form.handleSubmit((v) => {
        setProblem(null);
        onSubmit(v, captcha.current?.id(), (e) => {
          setProblem(applyProblem(form, e, ['national_code', 'captcha_answer']));
          captcha.current?.renew();
        });
      })}
    >
      <FormAlert message={problem} />
      <NationalCodeField form={form} name="national_code" />
      <FormCaptcha form={form} captchaRef={captcha} />
      <Button type="submit" variant="contained" fullWidth disabled={pending} sx={{ mt: 2 }}>
        {submitLabel}
      </Button>
    </form>
  );
}

function ByCode() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [nationalCode, setNationalCode] = useState<string | null>(null);
  const [sent, setSent] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const ask = useRequestResetCode();
  const form = useForm<Reset>({
    resolver: (values, ctx, options) => zodResolver(resetSchema())(values, ctx, options),
    defaultValues: { code: '', new_password: '', new_password_repeat: '' },
  });
  useRevalidateOnLanguage(form);
  const resetWithCode = useResetWithCode({
    onSuccess: () => navigate('/login?reset=1'),
    onError: (e) => setProblem(applyProblem(form, e, ['code', 'new_password'])),
  });

  if (!nationalCode) {
    return (
      <>
        <Typography color="text.secondary" sx={{ mb: 1 }}>
          {t('recovery.byCodeIntro')}
        </Typography>
        <AskForm
          submitLabel={t('recovery.send')}
          pending={ask.isPending}
          onSubmit={(v, captchaId, fail) =>
            ask.mutate(
              askBody(v, captchaId),
              {
                onSuccess: (res) => {
                  setSent(res.message);
                  setNationalCode(toAsciiDigits(v.national_code));
                },
                onError: fail,
              },
            )
          }
        />
      </>
    );
  }
  return (
    <form
      noValidate
      onSubmit={form.handleSubmit((v) => {
        setProblem(null);
        resetWithCode.mutate({ national_code: nationalCode ?? '', code: toAsciiDigits(v.code), new_password: v.new_password });
      })}
    >
      <FormAlert message={sent} severity="info" />
      <FormAlert message={problem} />
      <FormField form={form} name="code" label={t('recovery.code')} helperText={t('recovery.codeHint')} autoComplete="one-time-code" slotProps={{ htmlInput: { inputMode: 'numeric', dir: 'ltr' } }} />
      <FormField form={form} name="new_password" label={t('fields.newPassword')} helperText={t('hints.password')} type="password" autoComplete="new-password" />
      <FormField form={form} name="new_password_repeat" label={t('fields.passwordRepeat')} type="password" autoComplete="new-password" />
      <Button type="submit" variant="contained" fullWidth disabled={resetWithCode.isPending} sx={{ mt: 2 }}>
        {t('recovery.setPassword')}
      </Button>
    </form>
  );
}

function BySms() {
  const { t, i18n: inst } = useTranslation();
  const [request, setRequest] = useState<Schemas['SmsRecoveryResponse'] | null>(null);
  const ask = useRequestSmsRecovery();
  // The page confirms by itself: it asks every few seconds until the text has arrived.
  const status = useSmsRecoveryStatus(request?.id);
  const digits = (s: string) => (inst.language === 'fa' ? toPersianDigits(s) : s);

  if (!request) {
    return (
      <>
        <Typography color="text.secondary" sx={{ mb: 1 }}>
          {t('recovery.bySmsIntro')}
        </Typography>
        <AskForm
          submitLabel={t('recovery.getSmsCode')}
          pending={ask.isPending}
          onSubmit={(v, captchaId, fail) => ask.mutate(askBody(v, captchaId), { onSuccess: setRequest, onError: fail })}
        />
      </>
    );
  }
  const state = status.data?.status ?? 'pending';
  return (
    <Box>
      <Typography>{t('recovery.smsInstruction', { number: digits(request.system_number) })}</Typography>
      <Typography variant="h4" component="p" data-testid="sms-code" dir="ltr" sx={{ my: 2, textAlign: 'center', letterSpacing: 4 }}>
        {digits(request.code)}
      </Typography>
      {state === 'pending' && (
        <Box role="status" sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
          <CircularProgress size={20} />
          <Typography>{t('recovery.waiting')}</Typography>
        </Box>
      )}
      {state === 'completed' && (
        <Alert severity="success" role="status" action={<Button component={RouterLink} to="/login">{t('recovery.goLogin')}</Button>}>
          {t('recovery.completed')}
        </Alert>
      )}
      {state === 'expired' && <Alert severity="warning">{t('recovery.expired')}</Alert>}
    </Box>
  );
}

export function ForgotPasswordPage() {
  const { t } = useTranslation();
  const [tab, setTab] = useState(0);
  return (
    <Paper variant="outlined" sx={{ p: { xs: 2, sm: 4 }, maxWidth: 520, mx: 'auto' }}>
      <Typography variant="h5" component="h1" gutterBottom>
        {t('recovery.title')}
      </Typography>
      <Tabs value={tab} onChange={(_, v: number) => setTab(v)} variant="fullWidth" sx={{ mb: 2 }}>
        <Tab label={t('recovery.byCode')} id="recovery-tab-code" aria-controls="recovery-panel" />
        <Tab label={t('recovery.bySms')} id="recovery-tab-sms" aria-controls="recovery-panel" />
      </Tabs>
      <Box id="recovery-panel" role="tabpanel" aria-labelledby={tab === 0 ? 'recovery-tab-code' : 'recovery-tab-sms'}>
        {tab === 0 ? <ByCode /> : <BySms />}
      </Box>
    </Paper>
  );
}
