import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Link from '@mui/material/Link';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemText from '@mui/material/ListItemText';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink } from 'react-router';
import { type Schemas } from '../../api/client';
import { FormAlert } from '../../components/forms';
import { EndMembershipDialog, MembershipHistoryDialog, keptOnRollsText } from './Endings';
import { useMyMemberships, useRefreshMine } from './api';

type Membership = Schemas['MembershipDto'];

/** The person's memberships with their status (and the reason of a rejection or removal); a current one can be left, after a confirmation. */
export function MyMemberships() {
  const { t } = useTranslation();
  const mine = useMyMemberships();
  const refreshMine = useRefreshMine();
  const [leaving, setLeaving] = useState<Membership | null>(null);
  const [historyOf, setHistoryOf] = useState<Membership | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <Paper variant="outlined" sx={{ p: { xs: 2, sm: 3 } }}>
      <Typography variant="h6" component="h2">
        {t('associations.myMemberships')}
      </Typography>
      <FormAlert message={notice} severity="success" />
      {mine.data?.items.length === 0 && <Typography color="text.secondary">{t('associations.noMemberships')}</Typography>}
      <List data-testid="my-memberships">
        {mine.data?.items.map((m) => (
          <ListItem
            key={m.id}
            disableGutters
            secondaryAction={
              <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
                <Chip size="small" color={m.status === 'approved' ? 'success' : m.status === 'pending' ? 'primary' : 'default'} label={t(`associations.statuses.${m.status}`)} />
                <Button size="small" onClick={() => setHistoryOf(m)}>
                  {t('associations.history')}
                </Button>
                {m.status === 'approved' && (
                  <Button size="small" color="error" onClick={() => setLeaving(m)}>
                    {t('associations.leave')}
                  </Button>
                )}
              </Stack>
            }
            sx={{ pe: 34 }}
          >
            <ListItemText
              primary={
                <Link component={RouterLink} to={`/associations/${m.association_id}`}>
                  {m.association_name}
                </Link>
              }
              secondary={m.reason ?? undefined}
            />
          </ListItem>
        ))}
      </List>
      {leaving && (
        <EndMembershipDialog
          membership={leaving.id}
          name={leaving.association_name ?? ''}
          mode="leave"
          onClose={() => setLeaving(null)}
          onEnded={(ended) => {
            setNotice([t('associations.left', { name: leaving.association_name ?? '' }), keptOnRollsText(t, ended)].filter(Boolean).join(' '));
            setLeaving(null);
            refreshMine();
          }}
        />
      )}
      {historyOf && <MembershipHistoryDialog membership={historyOf.id} name={historyOf.association_name ?? ''} onClose={() => setHistoryOf(null)} />}
    </Paper>
  );
}
