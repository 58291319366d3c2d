import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink, useNavigate } from 'react-router';
import { refreshSession } from '../../api/client';
import { useAuth } from '../../app/auth';

/**
 * Where the server sends the browser after a single sign-on (ID-09): the session's refresh
 * cookie is set; this page exchanges it for tokens and goes on to the engineer's portal.
 */
export function SsoCompletePage() {
  const { t } = useTranslation();
  const auth = useAuth();
  const navigate = useNavigate();
  const [failed, setFailed] = useState(false);
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    void refreshSession().then((tokens) => {
      if (!tokens) {
        setFailed(true);
        return;
      }
      auth.signIn(tokens);
      navigate('/engineer', { replace: true });
    });
  }, [auth, navigate]);
  if (!failed) return <Typography role="status">{t('login.sso.completing')}</Typography>;
  return (
    <>
      <Alert severity="error" sx={{ mb: 2 }}>
        {t('login.sso.failed')}
      </Alert>
      <Button component={RouterLink} to="/login" variant="contained">
        {t('login.title')}
      </Button>
    </>
  );
}
