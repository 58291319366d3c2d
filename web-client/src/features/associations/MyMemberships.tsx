import Chip from '@mui/material/Chip';
import Link from '@mui/material/Link';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemText from '@mui/material/ListItemText';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink } from 'react-router';
import { api, unwrap } from '../../api/client';

/** The person's memberships with their status (and the reason of a rejection). */
export function MyMemberships() {
  const { t } = useTranslation();
  const mine = useQuery({ queryKey: ['my-memberships'], queryFn: () => unwrap(api.GET('/api/v1/me/memberships')) });
  return (
    <Paper variant="outlined" sx={{ p: { xs: 2, sm: 3 } }}>
      <Typography variant="h6" component="h2">
        {t('associations.myMemberships')}
      </Typography>
      {mine.data?.items.length === 0 && <Typography color="text.secondary">{t('associations.noMemberships')}</Typography>}
      <List data-testid="my-memberships">
        {mine.data?.items.map((m) => (
          <ListItem key={m.id} disableGutters secondaryAction={<Chip size="small" color={m.status === 'approved' ? 'success' : m.status === 'pending' ? 'primary' : 'default'} label={t(`associations.statuses.${m.status}`)} />}>
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
    </Paper>
  );
}
