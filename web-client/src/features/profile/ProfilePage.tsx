import { zodResolver } from '@hookform/resolvers/zod';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { DatePicker } from '@mui/x-date-pickers/DatePicker';
import { useEffect, useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink, useSearchParams } from 'react-router';
import { z } from 'zod';
import type { Me } from '../../api/client';
import { useAuth } from '../../app/auth';
import { FormAlert, FormField, applyProblem, rules, useRevalidateOnLanguage } from '../../components/forms';
import type { Lang } from '../../i18n';
import { formatDate } from '../../lib/dates';
import { toAsciiDigits, toPersianDigits } from '../../lib/digits';
import { SessionsSection } from '../accounts';
import { MyMemberships } from '../associations';
import { GrantChips } from './GrantChips';
import { useUpdateMe } from './api';

const schema = () =>
  z.object({
    first_name: rules.required(),
    last_name: rules.required(),
    mobile: rules.optionalMobile(),
    email: rules.optionalEmail(),
    birth_date: z.date().nullable(),
  });
type Values = z.infer<ReturnType<typeof schema>>;

/** A calendar day as the API's `YYYY-MM-DD` (the picker works in local midnight). */
function isoDay(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

function fromIsoDay(s: string | null | undefined): Date | null {
  if (!s) return null;
  const [y, m, d] = s.split('-').map(Number);
  return new Date(y, m - 1, d);
}

function valuesOf(me: Me): Values {
  return {
    first_name: me.first_name,
    last_name: me.last_name,
    mobile: me.mobile ?? '',
    email: me.email ?? '',
    birth_date: fromIsoDay(me.birth_date),
  };
}

export function ProfilePage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const { me } = useAuth();
  const [params] = useSearchParams();
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const form = useForm<Values>({
    resolver: (values, ctx, options) => zodResolver(schema())(values, ctx, options),
    defaultValues: { first_name: '', last_name: '', mobile: '', email: '', birth_date: null },
  });
  useRevalidateOnLanguage(form);
  useEffect(() => {
    if (me) form.reset(valuesOf(me));
  }, [me, form]);

  // The server's rule table: a field that does not change here is read-only and says where it
  // does (a «never» field may still be filled once while it is empty).
  type Field = 'first_name' | 'last_name' | 'birth_date';
  const held = (field: Field) => {
    const rule = me?.protected_fields.find((p) => p.field === field);
    if (!rule || (rule.change === 'never' && !me?.[field])) return null;
    return rule.change as Exclude<typeof rule.change, 'free'>;
  };
  const readOnly = (field: Field) => {
    const change = held(field);
    return change ? { helperText: t(`profile.protectedBy.${change}`), slotProps: { htmlInput: { readOnly: true, 'data-protected': change } } } : {};
  };

  const save = useUpdateMe({
    onSuccess: () => setSaved(true),
    onError: (error) => setProblem(applyProblem(form, error, ['first_name', 'last_name', 'mobile', 'email', 'birth_date'])),
  });

  if (!me) return <Typography>{t('common.loading')}</Typography>;
  const digits = (s: string) => (lang === 'fa' ? toPersianDigits(s) : s);
  return (
    <Stack spacing={3}>
      <Typography variant="h5" component="h1">
        {t('profile.title')}
      </Typography>
      <FormAlert message={params.get('password') ? t('changePassword.done') : null} severity="success" />
      <Paper variant="outlined" sx={{ p: { xs: 2, sm: 3 } }}>
        <Typography variant="h6" component="h2" gutterBottom>
          {t('profile.details')}
        </Typography>
        <dl className="facts">
          <dt>{t('fields.nationalCode')}</dt>
          <dd dir="ltr" data-testid="national-code">{digits(me.national_code)}</dd>
          <dt>{t('profile.memberSince')}</dt>
          <dd data-testid="member-since">{formatDate(me.created_at, lang)}</dd>
          <dt>{t('fields.birthDate')}</dt>
          <dd data-testid="birth-date">{me.birth_date ? formatDate(`${me.birth_date}T12:00:00Z`, lang) : t('profile.none')}</dd>
        </dl>
        <Typography variant="subtitle1" component="h3" sx={{ mt: 2 }}>
          {t('profile.roles')}
        </Typography>
        <GrantChips grants={me.grants} />
        <Button component={RouterLink} to="/change-password" sx={{ mt: 2 }}>
          {t('nav.changePassword')}
        </Button>
      </Paper>
      <MyMemberships />
      <SessionsSection />
      <Paper variant="outlined" sx={{ p: 2 }}>
        <Button component={RouterLink} to="/officer" data-testid="officer-link">
          {t('officers.profileLink')}
        </Button>
      </Paper>
      <Paper variant="outlined" sx={{ p: { xs: 2, sm: 3 } }}>
        <Typography variant="h6" component="h2">
          {t('profile.edit')}
        </Typography>
        <FormAlert message={saved ? t('profile.saved') : null} severity="success" />
        <FormAlert message={problem} />
        <form
          noValidate
          onSubmit={form.handleSubmit((v) => {
            setProblem(null);
            setSaved(false);
            // A protected field is shown, never sent: the server would refuse its change.
            save.mutate({
              ...(held('first_name') ? {} : { first_name: v.first_name }),
              ...(held('last_name') ? {} : { last_name: v.last_name }),
              mobile: toAsciiDigits(v.mobile),
              email: v.email.trim(),
              ...(held('birth_date') ? {} : { birth_date: v.birth_date ? isoDay(v.birth_date) : '' }),
            });
          })}
        >
          <Stack direction={{ xs: 'column', sm: 'row' }} spacing={{ sm: 2 }}>
            <FormField form={form} name="first_name" label={t('fields.firstName')} {...readOnly('first_name')} />
            <FormField form={form} name="last_name" label={t('fields.lastName')} {...readOnly('last_name')} />
          </Stack>
          <FormField form={form} name="mobile" label={t('fields.mobile')} helperText={t('hints.mobile')} slotProps={{ htmlInput: { inputMode: 'tel', dir: 'ltr' } }} />
          <FormField form={form} name="email" label={t('fields.email')} type="email" slotProps={{ htmlInput: { dir: 'ltr' } }} />
          <Controller
            control={form.control}
            name="birth_date"
            render={({ field, fieldState }) => (
              <DatePicker
                label={t('fields.birthDate')}
                value={field.value}
                onChange={(d) => field.onChange(d && !Number.isNaN(d.getTime()) ? d : null)}
                disableFuture
                readOnly={Boolean(held('birth_date'))}
                slotProps={{
                  textField: {
                    id: 'birth_date',
                    fullWidth: true,
                    margin: 'normal',
                    error: Boolean(fieldState.error),
                    helperText: fieldState.error?.message ?? readOnly('birth_date').helperText,
                  },
                  field: { clearable: !held('birth_date') },
                }}
              />
            )}
          />
          <Button type="submit" variant="contained" disabled={save.isPending} sx={{ mt: 2 }}>
            {t('profile.save')}
          </Button>
        </form>
      </Paper>
    </Stack>
  );
}
