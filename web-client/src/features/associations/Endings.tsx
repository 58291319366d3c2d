import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemText from '@mui/material/ListItemText';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Schemas } from '../../api/client';
import { FormAlert, problemText } from '../../components/forms';
import type { Lang } from '../../i18n';
import { formatDateTime } from '../../lib/dates';
import { useEndMembership, useMembershipHistory } from './api';

type Ended = Schemas['MembershipEnded'];

/** What to tell after a membership ended: the open elections whose frozen roll keeps the person. */
export function keptOnRollsText(t: (k: string, o?: Record<string, string>) => string, ended: Ended): string | null {
  if (ended.kept_on_rolls.length === 0) return null;
  return t('associations.keptOnRolls', { titles: ended.kept_on_rolls.map((e) => e.title).join('، ') });
}

/**
 * Ends a membership after a confirmation: an admin's removal (a reason is required and sent to
 * the member) or the member leaving (the reason is optional). Nothing changes until confirmed.
 */
export function EndMembershipDialog({ membership, name, mode, onClose, onEnded }: { membership: string; name: string; mode: 'remove' | 'leave'; onClose: () => void; onEnded: (ended: Ended) => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const end = useEndMembership(membership, mode, { onSuccess: onEnded });
  const fieldError = end.error ? problemText(end.error) : null;
  return (
    <Dialog open onClose={onClose} fullWidth aria-labelledby="end-membership-title">
      <DialogTitle id="end-membership-title">{t(mode === 'remove' ? 'associations.removeTitle' : 'associations.leaveTitle', { name })}</DialogTitle>
      <DialogContent>
        <Alert severity="warning" sx={{ mb: 2 }}>
          {t(mode === 'remove' ? 'associations.removeWarning' : 'associations.leaveWarning')}
        </Alert>
        <TextField
          id="end-reason"
          label={t(mode === 'remove' ? 'associations.removeReason' : 'associations.leaveReason')}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          required={mode === 'remove'}
          error={Boolean(end.error)}
          helperText={fieldError}
          slotProps={{ htmlInput: { maxLength: 500 } }}
          fullWidth
          multiline
          minRows={2}
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{t('admin.cancel')}</Button>
        <Button variant="contained" color="error" disabled={end.isPending || (mode === 'remove' && !reason.trim())} onClick={() => end.mutate(reason.trim() || null)}>
          {t(mode === 'remove' ? 'associations.removeMember' : 'associations.leaveConfirm')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/** A membership's history, oldest first: each status with its reason, who acted and when. */
export function MembershipHistoryDialog({ membership, name, onClose }: { membership: string; name: string; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const history = useMembershipHistory(membership);
  return (
    <Dialog open onClose={onClose} fullWidth aria-labelledby="membership-history-title">
      <DialogTitle id="membership-history-title">{t('associations.historyTitle', { name })}</DialogTitle>
      <DialogContent>
        <FormAlert message={history.error ? history.error.message : null} />
        {history.data?.items.length === 0 && <Typography color="text.secondary">{t('admin.empty')}</Typography>}
        <List dense data-testid="membership-history">
          {history.data?.items.map((h, i) => (
            <ListItem key={i} disableGutters>
              <ListItemText
                primary={`${t(`associations.statuses.${h.status}`)} — ${formatDateTime(h.at, lang)}`}
                secondary={[h.by ? t('associations.historyBy', { name: h.by }) : null, h.reason].filter(Boolean).join(' · ') || undefined}
              />
            </ListItem>
          ))}
        </List>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{t('admin.close')}</Button>
      </DialogActions>
    </Dialog>
  );
}
