import { zodResolver } from '@hookform/resolvers/zod';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import FormControlLabel from '@mui/material/FormControlLabel';
import Link from '@mui/material/Link';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Switch from '@mui/material/Switch';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink } from 'react-router';
import { z } from 'zod';
import { useAuth } from '../../app/auth';
import { FormAlert, FormField, applyProblem, rules, useRevalidateOnLanguage } from '../../components/forms';
import { DataTable } from '../../components/DataTable';
import type { Lang } from '../../i18n';
import i18n from '../../i18n';
import { formatDate } from '../../lib/dates';
import { toAsciiDigits } from '../../lib/digits';
import { formatRials } from '../../lib/money';
import { useInvoices, useIssueInvoice, usePay } from './api';

export const STATUS_COLORS: Record<string, 'primary' | 'success' | 'default'> = { pending: 'primary', paid: 'success', cancelled: 'default' };

const issueSchema = () =>
  z.object({
    payer_national_code: rules.nationalCode(),
    amount_rials: z.string().refine((v) => /^[0-9]+$/.test(toAsciiDigits(v.replace(/[,٬\s]/g, ''))) && Number(toAsciiDigits(v.replace(/[,٬\s]/g, ''))) > 0, {
      message: i18n.t('validation.required'),
    }),
    description: rules.required(),
  });
type Issue = z.infer<ReturnType<typeof issueSchema>>;

/** Commission admins issue invoices to a person by national code. */
function IssueInvoice() {
  const { t } = useTranslation();
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const form = useForm<Issue>({
    resolver: (values, ctx, options) => zodResolver(issueSchema())(values, ctx, options),
    defaultValues: { payer_national_code: '', amount_rials: '', description: '' },
  });
  useRevalidateOnLanguage(form);
  const issue = useIssueInvoice({
    onSuccess: () => {
      setDone(true);
      form.reset();
    },
    onError: (e) => setProblem(applyProblem(form, e, ['payer_national_code', 'amount_rials', 'description'])),
  });
  const submit = (v: Issue) =>
    issue.mutate({
      payer_national_code: toAsciiDigits(v.payer_national_code),
      amount_rials: Number(toAsciiDigits(v.amount_rials.replace(/[,٬\s]/g, ''))),
      description: v.description,
    });
  return (
    <Paper variant="outlined" sx={{ p: 2 }}>
      <Typography variant="h6" component="h2">
        {t('payments.newTitle')}
      </Typography>
      <FormAlert message={done ? t('payments.issuedOk') : null} severity="success" />
      <FormAlert message={problem} />
      <form
        noValidate
        onSubmit={form.handleSubmit((v) => {
          setProblem(null);
          setDone(false);
          submit(v);
        })}
      >
        <Stack direction={{ xs: 'column', md: 'row' }} spacing={{ md: 2 }}>
          <FormField form={form} name="payer_national_code" label={t('payments.payer')} slotProps={{ htmlInput: { inputMode: 'numeric', dir: 'ltr' } }} />
          <FormField form={form} name="amount_rials" label={t('payments.amountRials')} slotProps={{ htmlInput: { inputMode: 'numeric', dir: 'ltr' } }} />
        </Stack>
        <FormField form={form} name="description" label={t('payments.description')} />
        <Button type="submit" variant="contained" disabled={issue.isPending}>
          {t('payments.issue')}
        </Button>
      </form>
    </Paper>
  );
}

export function InvoicesPage() {
  const { t, i18n: inst } = useTranslation();
  const lang = inst.language as Lang;
  const { me } = useAuth();
  const admin = Boolean(me?.grants.some((g) => g.role === 'commission_admin'));
  const [all, setAll] = useState(false);
  const invoices = useInvoices(all);
  const pay = usePay();
  return (
    <Stack spacing={2}>
      <Typography variant="h5" component="h1">
        {all ? t('payments.allTitle') : t('payments.title')}
      </Typography>
      {admin && <IssueInvoice />}
      {admin && <FormControlLabel control={<Switch checked={all} onChange={(e) => setAll(e.target.checked)} />} label={t('payments.showAll')} />}
      <FormAlert message={pay.error ? pay.error.message : invoices.error ? invoices.error.message : null} />
      <Paper variant="outlined">
        <DataTable
          label={t('payments.title')}
          testId="invoice-rows"
          rows={invoices.data?.items}
          rowKey={(inv) => inv.id}
          empty={t('payments.none')}
          columns={[
            { header: t('payments.issued'), sx: { whiteSpace: 'nowrap' }, cell: (inv) => formatDate(inv.created_at, lang) },
            {
              header: t('payments.description'),
              cell: (inv) => (
                <Link component={RouterLink} to={`/invoices/${inv.id}`}>
                  {inv.description}
                </Link>
              ),
            },
            { header: t('payments.amount'), sx: { whiteSpace: 'nowrap' }, cell: (inv) => formatRials(inv.amount_rials, lang) },
            { header: t('payments.status'), cell: (inv) => <Chip size="small" color={STATUS_COLORS[inv.status] ?? 'default'} label={t(`payments.statuses.${inv.status}`)} /> },
            {
              header: '',
              cell: (inv) =>
                inv.status === 'pending' &&
                inv.payer_id === me?.id && (
                  <Button size="small" variant="contained" disabled={pay.isPending} onClick={() => pay.mutate(inv.id)}>
                    {t('payments.pay')}
                  </Button>
                ),
            },
          ]}
        />
      </Paper>
    </Stack>
  );
}
