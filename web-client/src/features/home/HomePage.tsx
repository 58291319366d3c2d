import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink } from 'react-router';
import { useAuth } from '../../app/auth';
import { GrantChips } from '../profile';

export function HomePage() {
  const { t } = useTranslation();
  const { status, me } = useAuth();
  return (
    <Paper variant="outlined" sx={{ p: { xs: 2, sm: 4 } }}>
      <Typography variant="h4" component="h1" gutterBottom>
        {t('home.title')}
      </Typography>
      <Typography sx={{ mb: 2 }}>{t('home.intro')}</Typography>
      {status === 'signed-in' && me ? (
        <>
          <Typography variant="h6" component="p">
            {t('home.greeting', { name: `${me.first_name} ${me.last_name}` })}
          </Typography>
          <Typography variant="subtitle1" component="h2" sx={{ mt: 2 }}>
            {t('home.roles')}
          </Typography>
          <GrantChips grants={me.grants} />
        </>
      ) : status === 'anonymous' ? (
        <>
          <Typography sx={{ mb: 2 }}>{t('home.anonymous')}</Typography>
          <Stack direction="row" spacing={2}>
            <Button variant="contained" component={RouterLink} to="/login">
              {t('nav.login')}
            </Button>
            <Button variant="outlined" component={RouterLink} to="/register">
              {t('nav.register')}
            </Button>
          </Stack>
        </>
      ) : null}
    </Paper>
  );
}
