import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink, useParams, useSearchParams } from 'react-router';
import { ApiProblem } from '../../api/client';
import { FormAlert } from '../../components/forms';
import { toPersianDigits } from '../../lib/digits';
import { useBulletin, useBulletinEntry, useElection } from './api';

/**
 * The public bulletin of an election (EL-10): every cast ballot is there, encrypted, under its
 * tracking code; a voter looks theirs up to see it was counted as cast.
 */
export function BulletinPage() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const [typed, setTyped] = useState(params.get('code') ?? '');
  const code = params.get('code')?.trim() ?? '';
  const n = (v: number) => (i18n.language === 'fa' ? toPersianDigits(v) : String(v));
  const election = useElection(id);
  const board = useBulletin(id);
  const entry = useBulletinEntry(id, code);
  const missing = entry.error instanceof ApiProblem && entry.error.status === 404;
  return (
    <Stack spacing={2}>
      <Typography variant="h5" component="h1">
        {t('bulletin.title', { title: election.data?.title ?? '' })}
      </Typography>
      <Typography>{t('bulletin.intro')}</Typography>
      <FormAlert message={(election.error ?? board.error)?.message ?? null} />
      {board.data && <Typography data-testid="bulletin-count">{t('bulletin.count', { count: board.data.tracking_codes.length, n: n(board.data.tracking_codes.length) })}</Typography>}
      <Paper variant="outlined" sx={{ p: 2 }} component="form" onSubmit={(ev) => { ev.preventDefault(); setParams(typed.trim() ? { code: typed.trim() } : {}); }}>
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1}>
          <TextField id="tracking-lookup" label={t('bulletin.code')} value={typed} onChange={(ev) => setTyped(ev.target.value)} fullWidth slotProps={{ htmlInput: { dir: 'ltr', spellCheck: false } }} />
          <Button type="submit" variant="contained">
            {t('bulletin.find')}
          </Button>
        </Stack>
      </Paper>
      {entry.data && (
        <Alert severity="success" role="status" data-testid="bulletin-found">
          {t('bulletin.found')}
        </Alert>
      )}
      {missing && (
        <Alert severity="error" role="alert" data-testid="bulletin-missing">
          {t('bulletin.missing')}
        </Alert>
      )}
      {entry.error && !missing && <FormAlert message={entry.error.message} />}
      {entry.data && (
        <Paper variant="outlined" sx={{ p: 2, overflowX: 'auto' }}>
          <Typography variant="subtitle2" component="h2">
            {t('bulletin.ballot')}
          </Typography>
          <Typography component="pre" dir="ltr" tabIndex={0} aria-label={t('bulletin.ballot')} sx={{ fontSize: '0.75rem', whiteSpace: 'pre-wrap', wordBreak: 'break-all', maxHeight: 320, overflowY: 'auto' }}>
            {JSON.stringify(entry.data.ballot, null, 1)}
          </Typography>
        </Paper>
      )}
      <Button component={RouterLink} to={`/elections/${id}`} sx={{ alignSelf: 'flex-start' }}>
        {t('elections.backToElection')}
      </Button>
    </Stack>
  );
}
