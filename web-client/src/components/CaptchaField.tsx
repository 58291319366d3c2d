import RefreshIcon from '@mui/icons-material/Refresh';
import Box from '@mui/material/Box';
import CircularProgress from '@mui/material/CircularProgress';
import IconButton from '@mui/material/IconButton';
import TextField from '@mui/material/TextField';
import Tooltip from '@mui/material/Tooltip';
import { useQuery } from '@tanstack/react-query';
import { forwardRef, useImperativeHandle, type Ref } from 'react';
import type { FieldValues, Path, PathValue, UseFormReturn } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';

export interface CaptchaHandle {
  /** A captcha works once: get a new one after every submission. */
  renew: () => void;
  id: () => string | undefined;
}

interface Props {
  value: string;
  onChange: (value: string) => void;
  error?: string;
}

/** The numeric image captcha (کد امنیتی) with a button for a new one. */
export const CaptchaField = forwardRef<CaptchaHandle, Props>(function CaptchaField({ value, onChange, error }, ref) {
  const { t } = useTranslation();
  const captcha = useQuery({
    queryKey: ['captcha'],
    queryFn: () => unwrap(api.GET('/api/v1/auth/captcha')),
    staleTime: 100_000,
    gcTime: 0,
    refetchOnWindowFocus: false,
  });
  useImperativeHandle(ref, () => ({
    renew: () => {
      onChange('');
      void captcha.refetch();
    },
    id: () => captcha.data?.captcha_id,
  }));
  return (
    <Box sx={{ display: 'flex', alignItems: 'flex-start', gap: 1, mt: 2, mb: 1 }}>
      <TextField
        id="captcha_answer"
        label={t('fields.captcha')}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        error={Boolean(error)}
        helperText={error}
        slotProps={{ htmlInput: { inputMode: 'numeric', autoComplete: 'off', dir: 'ltr' } }}
        sx={{ flex: 1 }}
      />
      <Box sx={{ width: 150, height: 56, display: 'grid', placeItems: 'center', border: 1, borderColor: 'divider', borderRadius: 1, bgcolor: '#fff' }}>
        {captcha.data ? (
          <img
            src={`data:image/png;base64,${captcha.data.image_png_base64}`}
            alt={t('captcha.image')}
            width={150}
            height={52}
            style={{ objectFit: 'contain' }}
          />
        ) : (
          <CircularProgress size={24} aria-label={t('captcha.loading')} />
        )}
      </Box>
      <Tooltip title={t('captcha.refresh')}>
        <IconButton aria-label={t('captcha.refresh')} onClick={() => { onChange(''); void captcha.refetch(); }} sx={{ mt: 1 }}>
          <RefreshIcon />
        </IconButton>
      </Tooltip>
    </Box>
  );
});

/** The captcha bound to a form's `captcha_answer` field. */
export function FormCaptcha<T extends FieldValues & { captcha_answer: string }>({
  form,
  captchaRef,
}: {
  form: UseFormReturn<T>;
  captchaRef: Ref<CaptchaHandle>;
}) {
  const name = 'captcha_answer' as Path<T>;
  return (
    <CaptchaField
      ref={captchaRef}
      value={form.watch(name)}
      onChange={(v) => form.setValue(name, v as PathValue<T, Path<T>>)}
      error={form.formState.errors.captcha_answer?.message as string | undefined}
    />
  );
}
