import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { useAuth } from '../../app/auth';
import { FormAlert } from '../../components/forms';
import type { Lang } from '../../i18n';
import { formatDateTime } from '../../lib/dates';
import { toPersianDigits } from '../../lib/digits';
import { useElection, useElectionResults } from './api';

/** The printable minutes of a counted election (EL-11): turnout and every contest's count. */
export function MinutesPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const { id = '' } = useParams();
  const { status } = useAuth();
  const election = useElection(id, status !== 'restoring');
  const results = useElectionResults(id, status !== 'restoring', status);
  const failure = election.error ?? results.error;
  if (failure) return <FormAlert message={failure.message} />;
  const e = election.data;
  const r = results.data;
  if (!e || !r) return null;
  const n = (v: number | string) => (lang === 'fa' ? toPersianDigits(String(v)) : String(v));
  const name = (cid: string) => {
    for (const c of e.contests) {
      const k = c.candidates.find((x) => x.id === cid);
      if (k) return { name: `${k.first_name} ${k.last_name}`, code: k.election_code };
    }
    return { name: cid, code: '' };
  };
  return (
    <Paper variant="outlined" component="article" sx={{ p: 3 }} data-testid="minutes">
      <Typography variant="h5" component="h1" gutterBottom>
        {t('minutes.title', { title: e.title })}
      </Typography>
      <Typography>{e.association_name}</Typography>
      <Typography>{`${t('elections.starts')}: ${formatDateTime(e.starts_at, lang)} — ${t('elections.ends')}: ${formatDateTime(e.ends_at, lang)}`}</Typography>
      <Typography sx={{ mb: 2 }}>{t('elections.turnout', { voted: n(r.voted), roll: n(r.roll_size) })}</Typography>
      {r.contests.map((c) => (
        <Stack key={c.contest_id} sx={{ mb: 3 }}>
          <Typography variant="h6" component="h2">
            {e.contests.find((x) => x.id === c.contest_id)?.title}
          </Typography>
          <Typography variant="body2">{t('minutes.ballots', { ballots: n(c.ballots), blank: n(c.blank) })}</Typography>
          {c.tie && <Typography color="warning.main">{t('elections.tie')}</Typography>}
          <Table size="small">
            <TableHead>
              <TableRow>
                <TableCell>{t('minutes.rank')}</TableCell>
                <TableCell>{t('minutes.candidate')}</TableCell>
                <TableCell>{t('elections.code')}</TableCell>
                <TableCell>{t('elections.votes')}</TableCell>
                <TableCell>{t('minutes.outcome')}</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {c.candidates.map((x) => (
                <TableRow key={x.candidate_id}>
                  <TableCell>{n(x.rank)}</TableCell>
                  <TableCell>{name(x.candidate_id).name}</TableCell>
                  <TableCell>{n(name(x.candidate_id).code)}</TableCell>
                  <TableCell>{n(x.votes)}</TableCell>
                  <TableCell>{t(`elections.outcomes.${x.outcome}`)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Stack>
      ))}
      <Typography sx={{ mt: 4 }}>{t('minutes.signatures')}</Typography>
      <Stack direction="row" spacing={4} sx={{ mt: 6, justifyContent: 'space-around' }}>
        {(['chair', 'secretary', 'observer'] as const).map((k) => (
          <Typography key={k} sx={{ borderTop: '1px solid', pt: 1, minWidth: 140, textAlign: 'center' }}>
            {t(`minutes.${k}`)}
          </Typography>
        ))}
      </Stack>
      <Button className="no-print" variant="contained" sx={{ mt: 4 }} onClick={() => window.print()}>
        {t('minutes.print')}
      </Button>
    </Paper>
  );
}
