import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Schemas } from '../../api/client';
import { FormAlert } from '../../components/forms';
import { DataTable, usePaging } from '../../components/DataTable';
import type { Lang } from '../../i18n';
import { formatDateTime } from '../../lib/dates';
import { toPersianDigits } from '../../lib/digits';
import { useOutbox, useResend } from './api';

const STATUSES = ['pending', 'sending', 'sent', 'delivered', 'undelivered', 'failed'] as const;
const COLORS: Record<string, 'default' | 'success' | 'error' | 'warning' | 'primary'> = {
  pending: 'primary',
  sending: 'primary',
  sent: 'default',
  delivered: 'success',
  undelivered: 'warning',
  failed: 'error',
};

export function OutboxPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const [status, setStatus] = useState('');
  const [channel, setChannel] = useState('');
  const paging = usePaging();
  const { page, perPage, setPage } = paging;
  const [confirming, setConfirming] = useState<Schemas['OutboxMessage'] | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const messages = useOutbox({ status: status || undefined, channel: channel || undefined, page: page + 1, per_page: perPage });
  const resend = useResend({
    onSuccess: () => setNotice(t('admin.resent')),
    onSettled: () => setConfirming(null),
  });
  const n = (v: number) => (lang === 'fa' ? toPersianDigits(v) : String(v));

  return (
    <Stack spacing={2}>
      <Typography variant="h5" component="h1">
        {t('admin.outboxTitle')}
      </Typography>
      <FormAlert message={notice} severity="success" />
      <FormAlert message={resend.error ? resend.error.message : messages.error ? messages.error.message : null} />
      <Paper variant="outlined" sx={{ p: 2 }}>
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
          <TextField id="filter-status" select label={t('admin.status')} value={status} onChange={(e) => { setStatus(e.target.value); setPage(0); }} sx={{ minWidth: 180 }}>
            <MenuItem value="">{t('admin.all')}</MenuItem>
            {STATUSES.map((s) => (
              <MenuItem key={s} value={s}>
                {t(`admin.statuses.${s}`)}
              </MenuItem>
            ))}
          </TextField>
          <TextField id="filter-channel" select label={t('admin.channel')} value={channel} onChange={(e) => { setChannel(e.target.value); setPage(0); }} sx={{ minWidth: 180 }}>
            <MenuItem value="">{t('admin.all')}</MenuItem>
            <MenuItem value="sms">{t('admin.channels.sms')}</MenuItem>
            <MenuItem value="email">{t('admin.channels.email')}</MenuItem>
          </TextField>
        </Stack>
      </Paper>
      <Paper variant="outlined">
        <DataTable
          label={t('admin.outboxTitle')}
          testId="outbox-rows"
          rows={messages.data?.items}
          rowKey={(m) => m.id}
          paging={{ ...paging, total: messages.data?.total ?? 0 }}
          columns={[
            { header: t('admin.created'), sx: { whiteSpace: 'nowrap' }, cell: (m) => formatDateTime(m.created_at, lang) },
            { header: t('admin.channel'), cell: (m) => t(`admin.channels.${m.channel}`) },
            { header: t('admin.recipient'), dir: 'ltr', cell: (m) => m.recipient },
            { header: t('admin.purpose'), dir: 'ltr', cell: (m) => m.purpose },
            { header: t('admin.status'), cell: (m) => <Chip size="small" label={t(`admin.statuses.${m.status}`)} color={COLORS[m.status] ?? 'default'} /> },
            { header: t('admin.attempts'), cell: (m) => n(m.attempts) },
            { header: t('admin.lastError'), dir: 'ltr', sx: { fontSize: 12, maxWidth: 240, overflowWrap: 'anywhere' }, cell: (m) => m.last_error ?? '—' },
            {
              header: '',
              cell: (m) =>
                (m.status === 'failed' || m.status === 'undelivered') && (
                  <Button size="small" onClick={() => setConfirming(m)}>
                    {t('admin.resend')}
                  </Button>
                ),
            },
          ]}
        />
      </Paper>
      <Dialog open={Boolean(confirming)} onClose={() => setConfirming(null)}>
        <DialogTitle>{t('admin.resend')}</DialogTitle>
        <DialogContent>
          {t('admin.resendConfirm')} <span dir="ltr">{confirming?.recipient}</span>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setConfirming(null)}>{t('admin.cancel')}</Button>
          <Button variant="contained" disabled={resend.isPending} onClick={() => confirming && resend.mutate(confirming.id)}>
            {t('admin.confirm')}
          </Button>
        </DialogActions>
      </Dialog>
    </Stack>
  );
}
