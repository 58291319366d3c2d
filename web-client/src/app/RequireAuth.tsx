import Box from '@mui/material/Box';
import Alert from '@mui/material/Alert';
import CircularProgress from '@mui/material/CircularProgress';
import { useTranslation } from 'react-i18next';
import { Navigate, Outlet, useLocation } from 'react-router';
import { useAuth } from './auth';

/** Pages for signed-in people. A pending forced password change allows nothing else. */
export function RequireAuth() {
  const { t } = useTranslation();
  const { status, me, mustChangePassword, signedOut } = useAuth();
  const location = useLocation();
  if (status === 'restoring' || (status === 'signed-in' && !me)) {
    return (
      <Box sx={{ display: 'grid', placeItems: 'center', py: 8 }}>
        <CircularProgress aria-label={t('common.loading')} />
      </Box>
    );
  }
  if (status === 'anonymous') {
    // After a deliberate sign-out the page may still be showing while the navigation to the
    // login page is pending (a transition): go there plainly, not with this page as `next`.
    return <Navigate to={signedOut ? '/login' : `/login?next=${encodeURIComponent(location.pathname)}`} replace />;
  }
  if (mustChangePassword && location.pathname !== '/change-password') {
    return <Navigate to="/change-password" replace />;
  }
  return <Outlet />;
}

/** Pages for holders of a role; others are told they may not see them. */
export function RequireRole({ role }: { role: string }) {
  const { t } = useTranslation();
  const { me } = useAuth();
  if (!me?.grants.some((g) => g.role === role)) {
    return <Alert severity="error">{t('errors.forbidden')}</Alert>;
  }
  return <Outlet />;
}
