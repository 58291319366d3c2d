import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemText from '@mui/material/ListItemText';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { FormAlert } from '../../components/forms';
import type { Lang } from '../../i18n';
import { formatDateTime } from '../../lib/dates';
import { toPersianDigits } from '../../lib/digits';
import { useEndOtherSessions, useEndSession, useMySessions } from './api';
import { deviceName } from './device';

/** The signed-in person's live sessions (device, address, last use): end one or all others. */
export function SessionsSection() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const [endingOthers, setEndingOthers] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const sessions = useMySessions();
  const end = useEndSession({ onSuccess: () => setNotice(t('accounts.sessionEnded')) });
  const endOthers = useEndOtherSessions({
    onSuccess: (r) => setNotice(t('accounts.othersEnded', { n: lang === 'fa' ? toPersianDigits(String(r.ended)) : r.ended })),
    onSettled: () => setEndingOthers(false),
  });
  const items = sessions.data?.items ?? [];
  const ip = (v: string | null | undefined) => (v ? (lang === 'fa' ? toPersianDigits(v) : v) : '—');
  return (
    <Paper variant="outlined" sx={{ p: 2 }}>
      <Stack spacing={1}>
        <Stack direction="row" sx={{ justifyContent: 'space-between', alignItems: 'center', flexWrap: 'wrap', gap: 1 }}>
          <Typography variant="h6" component="h2">
            {t('accounts.sessionsTitle')}
          </Typography>
          <Button size="small" color="error" disabled={items.length < 2} onClick={() => { setNotice(null); setEndingOthers(true); }}>
            {t('accounts.endOthers')}
          </Button>
        </Stack>
        <FormAlert message={notice} severity="success" />
        <FormAlert message={end.error?.message ?? endOthers.error?.message ?? sessions.error?.message ?? null} />
        <List dense data-testid="session-rows">
          {items.map((s) => (
            <ListItem
              key={s.id}
              secondaryAction={
                s.current ? (
                  <Chip size="small" color="primary" label={t('accounts.thisDevice')} />
                ) : (
                  <Button size="small" disabled={end.isPending} onClick={() => { setNotice(null); end.mutate(s.id); }}>
                    {t('accounts.endSession')}
                  </Button>
                )
              }
            >
              <ListItemText
                primary={deviceName(s.user_agent)}
                secondary={`${t('accounts.address')}: ${ip(s.ip)} — ${t('accounts.lastUsed')}: ${formatDateTime(s.last_used_at, lang)}`}
                slotProps={{ secondary: { dir: 'auto' } }}
                sx={{ pe: 10 }}
              />
            </ListItem>
          ))}
        </List>
      </Stack>
      {endingOthers && (
        <ConfirmDialog
          title={t('accounts.endOthers')}
          text={t('accounts.endOthersConfirm')}
          confirm={t('accounts.endOthers')}
          busy={endOthers.isPending}
          onConfirm={() => endOthers.mutate()}
          onCancel={() => setEndingOthers(false)}
        />
      )}
    </Paper>
  );
}
