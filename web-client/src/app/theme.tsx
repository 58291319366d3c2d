import createCache from '@emotion/cache';
import { CacheProvider } from '@emotion/react';
import CssBaseline from '@mui/material/CssBaseline';
import { ThemeProvider, createTheme } from '@mui/material/styles';
import { LocalizationProvider } from '@mui/x-date-pickers/LocalizationProvider';
import { AdapterDateFns } from '@mui/x-date-pickers/AdapterDateFns';
import { AdapterDateFnsJalali } from '@mui/x-date-pickers/AdapterDateFnsJalali';
import { faIR as faJalali } from 'date-fns-jalali/locale';
import { enGB } from 'date-fns/locale';
import { useMemo, type ReactNode } from 'react';
import { prefixer } from 'stylis';
import rtlPlugin from 'stylis-plugin-rtl';
import { directionOf, type Lang } from '../i18n';

const rtlCache = createCache({ key: 'mui-rtl', stylisPlugins: [prefixer, rtlPlugin] });
const ltrCache = createCache({ key: 'mui-ltr', stylisPlugins: [prefixer] });

/** MUI theme, right-to-left styling and the date adapter for the current language. */
export function ThemeRoot({ lang, children }: { lang: Lang; children: ReactNode }) {
  const direction = directionOf(lang);
  const theme = useMemo(
    () =>
      createTheme({
        direction,
        palette: { primary: { main: '#00695c' }, secondary: { main: '#5d4037' } },
        typography: { fontFamily: lang === 'fa' ? 'Vazirmatn, Tahoma, sans-serif' : 'Vazirmatn, Roboto, Arial, sans-serif' },
        components: { MuiButton: { defaultProps: { disableElevation: true } } },
      }),
    [direction, lang],
  );
  return (
    <CacheProvider value={direction === 'rtl' ? rtlCache : ltrCache}>
      <ThemeProvider theme={theme}>
        <CssBaseline />
        {lang === 'fa' ? (
          <LocalizationProvider dateAdapter={AdapterDateFnsJalali} adapterLocale={faJalali}>
            {children}
          </LocalizationProvider>
        ) : (
          <LocalizationProvider dateAdapter={AdapterDateFns} adapterLocale={enGB}>
            {children}
          </LocalizationProvider>
        )}
      </ThemeProvider>
    </CacheProvider>
  );
}
