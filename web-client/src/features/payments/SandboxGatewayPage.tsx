import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { FormAlert } from '../../components/forms';
import type { Lang } from '../../i18n';
import { formatRials } from '../../lib/money';
import { useSandboxDecision, useSandboxPayment } from './api';

/** The built-in test gateway's page: the payer pays or cancels, then goes back to the site. */
export function SandboxGatewayPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const { authority = '' } = useParams();
  const payment = useSandboxPayment(authority);
  const decide = useSandboxDecision(authority);
  const p = payment.data;
  return (
    <Paper variant="outlined" sx={{ p: { xs: 2, sm: 4 }, maxWidth: 480, mx: 'auto' }}>
      <Typography variant="h5" component="h1" gutterBottom>
        {t('sandbox.title')}
      </Typography>
      <Alert severity="info" sx={{ mb: 2 }}>
        {t('sandbox.note')}
      </Alert>
      <FormAlert message={payment.error ? payment.error.message : decide.error ? decide.error.message : null} />
      {p && (
        <Stack spacing={2}>
          <Typography>{p.description}</Typography>
          <Typography variant="h5" component="p" data-testid="sandbox-amount">
            {formatRials(p.amount_rials, lang)}
          </Typography>
          {p.status === 'pending' ? (
            <Stack direction="row" spacing={2}>
              <Button variant="contained" disabled={decide.isPending} onClick={() => decide.mutate('pay')}>
                {t('sandbox.pay')}
              </Button>
              <Button variant="outlined" disabled={decide.isPending} onClick={() => decide.mutate('cancel')}>
                {t('sandbox.cancel')}
              </Button>
            </Stack>
          ) : (
            <Alert severity="warning">{t('sandbox.decided')}</Alert>
          )}
        </Stack>
      )}
    </Paper>
  );
}
