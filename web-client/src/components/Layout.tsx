import MenuIcon from '@mui/icons-material/Menu';
import TranslateIcon from '@mui/icons-material/Translate';
import AppBar from '@mui/material/AppBar';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Container from '@mui/material/Container';
import Drawer from '@mui/material/Drawer';
import IconButton from '@mui/material/IconButton';
import LinearProgress from '@mui/material/LinearProgress';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemButton from '@mui/material/ListItemButton';
import ListItemText from '@mui/material/ListItemText';
import Toolbar from '@mui/material/Toolbar';
import Typography from '@mui/material/Typography';
import useMediaQuery from '@mui/material/useMediaQuery';
import { useTheme } from '@mui/material/styles';
import { useIsFetching, useIsMutating } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink, Outlet, useNavigate } from 'react-router';
import { useAuth } from '../app/auth';
import type { Lang } from '../i18n';
import { navItems, type NavItem } from './nav';

export function Layout({ lang, onLangChange }: { lang: Lang; onLangChange: (lang: Lang) => void }) {
  const { t } = useTranslation();
  const auth = useAuth();
  const navigate = useNavigate();
  const theme = useTheme();
  const narrow = useMediaQuery(theme.breakpoints.down('lg'));
  const [open, setOpen] = useState(false);
  const busy = useIsFetching() + useIsMutating() > 0;
  const items = navItems(auth.me, auth.status === 'signed-in', t);
  // The longest lists (the commission's, the directorate's) fit the bar from 1200 px with tighter
  // buttons; a longer one wraps onto a second line rather than scroll the page sideways.
  const crowded = items.length > 11;

  const signOut = async () => {
    setOpen(false);
    // Leave the protected page first, so it does not redirect to the login with itself as `next`.
    navigate('/login');
    await auth.signOut();
  };
  const link = (item: NavItem) =>
    item.external ? { component: 'a' as const, href: item.to } : { component: RouterLink, to: item.to };

  return (
    <Box sx={{ minHeight: '100vh', display: 'flex', flexDirection: 'column' }}>
      <a href="#main" className="skip-link">
        {t('app.skip')}
      </a>
      <AppBar position="sticky" elevation={0} className="no-print">
        <Toolbar sx={{ gap: 1 }}>
          {narrow && (
            <IconButton color="inherit" edge="start" aria-label={t('nav.menu')} onClick={() => setOpen(true)}>
              <MenuIcon />
            </IconButton>
          )}
          <Typography variant="h6" component={RouterLink} to="/" sx={{ color: 'inherit', textDecoration: 'none', flexGrow: 1 }}>
            {t('app.name')}
          </Typography>
          {!narrow && (
            <Box component="nav" aria-label={t('nav.menu')} sx={{ display: 'flex', flexWrap: 'wrap', justifyContent: 'flex-end', gap: crowded ? 0 : 0.5 }}>
              {items.map((item) => (
                <Button key={item.key} color="inherit" {...link(item)} sx={crowded ? { px: 0.75, minWidth: 0, fontSize: 13 } : undefined}>
                  {item.label}
                </Button>
              ))}
              {auth.status === 'signed-in' && (
                <Button color="inherit" onClick={signOut}>
                  {t('nav.logout')}
                </Button>
              )}
            </Box>
          )}
          <Button
            color="inherit"
            startIcon={<TranslateIcon />}
            aria-label={t('nav.languageLabel')}
            lang={lang === 'fa' ? 'en' : 'fa'}
            onClick={() => onLangChange(lang === 'fa' ? 'en' : 'fa')}
          >
            {t('nav.language')}
          </Button>
        </Toolbar>
        <Box sx={{ height: 4 }}>{busy && <LinearProgress color="secondary" aria-label={t('common.loading')} />}</Box>
      </AppBar>
      <Drawer
        anchor={theme.direction === 'rtl' ? 'right' : 'left'}
        open={open}
        onClose={() => setOpen(false)}
        slotProps={{ paper: { role: 'dialog', 'aria-label': t('nav.menu') } }}
      >
        <Box component="nav" aria-label={t('nav.menu')} sx={{ width: 260 }}>
          <List>
            {items.map((item) => (
              <ListItem key={item.key} disablePadding>
                <ListItemButton {...link(item)} onClick={() => setOpen(false)}>
                  <ListItemText primary={item.label} />
                </ListItemButton>
              </ListItem>
            ))}
            {auth.status === 'signed-in' && (
              <ListItem disablePadding>
                <ListItemButton onClick={signOut}>
                  <ListItemText primary={t('nav.logout')} />
                </ListItemButton>
              </ListItem>
            )}
          </List>
        </Box>
      </Drawer>
      <Container component="main" id="main" maxWidth="md" sx={{ py: 3, flexGrow: 1 }}>
        <Outlet />
      </Container>
    </Box>
  );
}
