import Alert from '@mui/material/Alert';
import TextField, { type TextFieldProps } from '@mui/material/TextField';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldValues, Path, UseFormReturn } from 'react-hook-form';
import { z } from 'zod';
import { ApiProblem } from '../api/client';
import i18n from '../i18n';
import { toAsciiDigits } from '../lib/digits';
import { checkNationalCode } from '../lib/nationalCode';

const t = (key: string) => i18n.t(key);

/** Validation rules shared by the forms; messages follow the current language. */
export const rules = {
  required: () => z.string().trim().min(1, { message: t('validation.required') }),
  nationalCode: () =>
    z.string().superRefine((value, ctx) => {
      const result = checkNationalCode(value);
      if ('problem' in result) {
        const key = {
          required: 'validation.required',
          digits: 'validation.nationalCodeDigits',
          length: 'validation.nationalCodeLength',
          invalid: 'validation.nationalCodeInvalid',
        }[result.problem];
        ctx.addIssue({ code: 'custom', message: t(key) });
      }
    }),
  newPassword: () =>
    z
      .string()
      .min(8, { message: t('validation.passwordShort') })
      .max(128, { message: t('validation.passwordLong') })
      .refine((v) => /[a-z]/.test(v) && /[A-Z]/.test(v) && /[0-9]/.test(v), { message: t('validation.passwordClasses') }),
  optionalMobile: () =>
    z.string().refine((v) => v.trim() === '' || /^(\+98|0098|98|0)?9\d{9}$/.test(toAsciiDigits(v).replace(/[\s-]/g, '')), {
      message: t('validation.mobile'),
    }),
  optionalEmail: () =>
    z.string().refine((v) => v.trim() === '' || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.trim()), { message: t('validation.email') }),
};

/**
 * Shows an API failure: field messages go onto the form's fields, the envelope's message
 * (already in the page's language) above the form.
 */
export function applyProblem<T extends FieldValues>(form: UseFormReturn<T>, error: unknown, known: readonly string[]): string | null {
  if (!(error instanceof ApiProblem)) return error instanceof Error ? error.message : String(error);
  let placed = false;
  for (const [field, messages] of Object.entries(error.fields)) {
    if (known.includes(field)) {
      form.setError(field as Path<T>, { type: 'server', message: messages.join(' ') });
      placed = true;
    }
  }
  const unplaced = Object.entries(error.fields).filter(([f]) => !known.includes(f));
  if (placed && unplaced.length === 0) return error.message;
  return [error.message, ...unplaced.flatMap(([, m]) => m)].join(' ');
}

/** An error as one line: the API's message followed by every field's messages. */
export function problemText(error: unknown): string | null {
  if (!error) return null;
  if (error instanceof ApiProblem) return [error.message, ...Object.values(error.fields).flat()].join(' ');
  return String(error);
}

export function FormAlert({ message, severity = 'error' }: { message: string | null; severity?: 'error' | 'success' | 'info' | 'warning' }) {
  if (!message) return null;
  return (
    <Alert severity={severity} role={severity === 'error' ? 'alert' : 'status'} sx={{ mb: 2 }}>
      {message}
    </Alert>
  );
}

type FieldProps<T extends FieldValues> = {
  form: UseFormReturn<T>;
  name: Path<T>;
  label: string;
} & Omit<TextFieldProps, 'name' | 'label' | 'form'>;

/** A text field bound to react-hook-form, showing its error or its hint. */
export function FormField<T extends FieldValues>({ form, name, label, helperText, ...rest }: FieldProps<T>) {
  const error = form.formState.errors[name];
  return (
    <TextField
      {...form.register(name)}
      id={String(name)}
      label={label}
      error={Boolean(error)}
      helperText={(error?.message as string | undefined) ?? helperText}
      fullWidth
      margin="normal"
      {...rest}
    />
  );
}

/** Re-validates shown errors when the language changes, so their text follows it. */
export function useRevalidateOnLanguage<T extends FieldValues>(form: UseFormReturn<T>) {
  const { i18n: inst } = useTranslation();
  useEffect(() => {
    if (form.formState.isSubmitted) void form.trigger();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [inst.language]);
}

/** The national-code field: digits in any script, left to right, with its hint. */
export function NationalCodeField<T extends FieldValues>({ form, name }: { form: UseFormReturn<T>; name: Path<T> }) {
  const { t } = useTranslation();
  return (
    <FormField
      form={form}
      name={name}
      label={t('fields.nationalCode')}
      helperText={t('hints.nationalCode')}
      autoComplete="username"
      slotProps={{ htmlInput: { inputMode: 'numeric', dir: 'ltr' } }}
    />
  );
}
