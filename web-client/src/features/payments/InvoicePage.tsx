import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';
import { useParams, useSearchParams } from 'react-router';
import { useAuth } from '../../app/auth';
import { FormAlert } from '../../components/forms';
import type { Lang } from '../../i18n';
import { formatDateTime } from '../../lib/dates';
import { toPersianDigits } from '../../lib/digits';
import { formatRials } from '../../lib/money';
import { useInvoice, usePay } from './api';
import { STATUS_COLORS } from './InvoicesPage';

const RESULT_SEVERITY = { paid: 'success', failed: 'error', cancelled: 'warning' } as const;

/** One invoice; after the gateway, also what became of the payment. */
export function InvoicePage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const { me } = useAuth();
  const invoice = useInvoice(id);
  const pay = usePay();
  const result = params.get('payment') as keyof typeof RESULT_SEVERITY | null;
  const inv = invoice.data;
  return (
    <Paper variant="outlined" sx={{ p: { xs: 2, sm: 4 }, maxWidth: 600, mx: 'auto' }}>
      <Typography variant="h5" component="h1" gutterBottom>
        {t('payments.invoice')}
      </Typography>
      {result && RESULT_SEVERITY[result] && (
        <Alert severity={RESULT_SEVERITY[result]} role="status" sx={{ mb: 2 }}>
          {t(`payments.result.${result}`)}
        </Alert>
      )}
      <FormAlert message={invoice.error ? invoice.error.message : pay.error ? pay.error.message : null} />
      {inv && (
        <Stack spacing={2}>
          <dl className="facts">
            <dt>{t('payments.description')}</dt>
            <dd>{inv.description}</dd>
            <dt>{t('payments.amount')}</dt>
            <dd data-testid="invoice-amount">{formatRials(inv.amount_rials, lang)}</dd>
            <dt>{t('payments.status')}</dt>
            <dd>
              <Chip size="small" data-testid="invoice-status" color={STATUS_COLORS[inv.status] ?? 'default'} label={t(`payments.statuses.${inv.status}`)} />
            </dd>
            <dt>{t('payments.issued')}</dt>
            <dd>{formatDateTime(inv.created_at, lang)}</dd>
            {inv.paid_at && (
              <>
                <dt>{t('payments.paidAt')}</dt>
                <dd>{formatDateTime(inv.paid_at, lang)}</dd>
              </>
            )}
            {inv.ref_id && (
              <>
                <dt>{t('payments.refId')}</dt>
                <dd dir="ltr">{lang === 'fa' ? toPersianDigits(inv.ref_id) : inv.ref_id}</dd>
              </>
            )}
          </dl>
          {inv.status === 'pending' && inv.payer_id === me?.id && (
            <Button variant="contained" disabled={pay.isPending} onClick={() => pay.mutate(inv.id)}>
              {t('payments.pay')}
            </Button>
          )}
        </Stack>
      )}
    </Paper>
  );
}
