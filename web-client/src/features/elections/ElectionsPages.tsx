import Alert from '@mui/material/Alert';
import Avatar from '@mui/material/Avatar';
import ListItemAvatar from '@mui/material/ListItemAvatar';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardActionArea from '@mui/material/CardActionArea';
import CardContent from '@mui/material/CardContent';
import Chip from '@mui/material/Chip';
import Link from '@mui/material/Link';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemText from '@mui/material/ListItemText';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink, useParams } from 'react-router';
import type { Schemas } from '../../api/client';
import { useAuth } from '../../app/auth';
import { ElectionAdminPanel } from './ElectionAdmin';
import { FormAlert } from '../../components/forms';
import type { Lang } from '../../i18n';
import { formatDateTime } from '../../lib/dates';
import { toPersianDigits } from '../../lib/digits';
import { useElection, useElectionResults, useElections, useTrusteeships } from './api';

type When = 'running' | 'upcoming' | 'past';

/** Upcoming, running and past elections of every association (EL-05). */
export function ElectionsPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const [when, setWhen] = useState<When>('running');
  const list = useElections(when);
  const { status } = useAuth();
  const duties = useTrusteeships(status === 'signed-in');
  const n = (v: number) => (lang === 'fa' ? toPersianDigits(v) : String(v));
  return (
    <Stack spacing={2}>
      <Typography variant="h5" component="h1">
        {t('elections.title')}
      </Typography>
      {duties.data && duties.data.items.length > 0 && (
        <Paper variant="outlined" sx={{ p: 2 }} data-testid="trusteeships">
          <Typography variant="h6" component="h2">
            {t('trustee.mine')}
          </Typography>
          <List dense>
            {duties.data.items.map((d) => (
              <ListItem key={d.election_id} disableGutters>
                <ListItemText
                  primary={<RouterLink to={`/elections/${d.election_id}/trustee`}>{d.title}</RouterLink>}
                  secondary={`${t(`elections.statuses.${d.status}`)}${d.action_needed ? ` · ${t('trustee.actionNeeded')}` : ''}`}
                />
              </ListItem>
            ))}
          </List>
        </Paper>
      )}
      <Tabs value={when} onChange={(_, v: When) => setWhen(v)} aria-label={t('elections.title')}>
        {(['running', 'upcoming', 'past'] as const).map((w) => (
          <Tab key={w} value={w} label={t(`elections.when.${w}`)} />
        ))}
      </Tabs>
      <FormAlert message={list.error ? list.error.message : null} />
      {list.data?.items.length === 0 && <Typography color="text.secondary">{t('elections.none')}</Typography>}
      <Stack spacing={2} data-testid="election-list">
        {list.data?.items.map((e) => (
          <Card key={e.id} variant="outlined">
            <CardActionArea component={RouterLink} to={`/elections/${e.id}`}>
              <CardContent>
                <Typography variant="h6" component="h2">
                  {e.title}
                </Typography>
                <Typography color="text.secondary">{e.association_name}</Typography>
                <Typography variant="body2">
                  {`${t('elections.starts')}: ${formatDateTime(e.starts_at, lang)} · ${t('elections.electorate')}: ${n(e.electorate)}`}
                </Typography>
                <Chip size="small" sx={{ mt: 1 }} label={t(`elections.statuses.${e.status}`)} />
              </CardContent>
            </CardActionArea>
          </Card>
        ))}
      </Stack>
    </Stack>
  );
}

function ResultsTable({ election, results }: { election: Schemas['ElectionDto']; results: Schemas['Results'] }) {
  const { t, i18n } = useTranslation();
  const n = (v: number) => (i18n.language === 'fa' ? toPersianDigits(v) : String(v));
  const name = (id: string) => {
    for (const c of election.contests) {
      const x = c.candidates.find((k) => k.id === id);
      if (x) return `${x.first_name} ${x.last_name}`;
    }
    return id;
  };
  return (
    <Paper variant="outlined" sx={{ p: 2 }} data-testid="results">
      <Typography variant="h6" component="h2">
        {t('elections.results')}
      </Typography>
      <Typography>{t('elections.turnout', { voted: n(results.voted), roll: n(results.roll_size) })}</Typography>
      {results.contests.map((c) => (
        <Stack key={c.contest_id} sx={{ mt: 2 }}>
          <Typography variant="subtitle1" component="h3">
            {election.contests.find((x) => x.id === c.contest_id)?.title}
          </Typography>
          {c.tie && <Alert severity="warning">{t('elections.tie')}</Alert>}
          <List dense>
            {c.candidates.map((x) => (
              <ListItem key={x.candidate_id} disableGutters>
                <ListItemText primary={`${n(x.rank)}. ${name(x.candidate_id)} — ${n(x.votes)} ${t('elections.votes')}`} secondary={t(`elections.outcomes.${x.outcome}`)} />
              </ListItem>
            ))}
          </List>
        </Stack>
      ))}
      <Stack direction="row" spacing={1}>
        <Button href={`/api/v1/elections/${election.id}/results.csv`} download>
          {t('elections.resultsCsv')}
        </Button>
        <Button component={RouterLink} to={`/elections/${election.id}/minutes`}>
          {t('minutes.open')}
        </Button>
        <Button href={`/api/v1/elections/${election.id}/record`} download data-testid="record">
          {t('elections.record')}
        </Button>
      </Stack>
      <Typography variant="body2" color="text.secondary" sx={{ mt: 1 }}>
        {t('elections.recordHelp')}
      </Typography>
    </Paper>
  );
}

/** An election: introduction, contests and candidates in Persian order, results once published. */
export function ElectionPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const { id = '' } = useParams();
  const { me, status } = useAuth();
  // Drafts are visible to their admins only: wait until the session is restored before asking.
  const election = useElection(id, status !== 'restoring');
  const e = election.data;
  const results = useElectionResults(id, e?.status === 'results_published');
  const duties = useTrusteeships(status === 'signed-in');
  if (election.error) return <FormAlert message={election.error.message} />;
  if (!e) return null;
  const n = (v: number) => (lang === 'fa' ? toPersianDigits(v) : String(v));
  const trustee = Boolean(duties.data?.items.some((d) => d.election_id === e.id));
  const manager = Boolean(me?.grants.some((g) => g.role === 'commission_admin' || (g.role === 'association_admin' && g.scope_id === e.association_id)));
  return (
    <Stack spacing={2}>
      <Typography variant="h5" component="h1">
        {e.title}
      </Typography>
      {manager && <ElectionAdminPanel election={e} />}
      <Paper variant="outlined" sx={{ p: 2 }}>
        <Typography color="text.secondary" gutterBottom>
          <RouterLink to={`/associations/${e.association_id}`}>{e.association_name}</RouterLink>
        </Typography>
        <dl className="facts">
          <dt>{t('elections.status')}</dt>
          <dd>{t(`elections.statuses.${e.status}`)}</dd>
          <dt>{t('elections.starts')}</dt>
          <dd>{formatDateTime(e.starts_at, lang)}</dd>
          <dt>{t('elections.ends')}</dt>
          <dd>{formatDateTime(e.ends_at, lang)}</dd>
          <dt>{t('elections.electorate')}</dt>
          <dd>{n(e.electorate)}</dd>
        </dl>
        {e.description.split(/\n+/).map((p, i) => (
          <Typography key={i} component="p" sx={{ mb: 1 }}>
            {p}
          </Typography>
        ))}
        {e.support_contact && (
          <Typography>
            {`${t('elections.support')}: `}
            <Link href={e.support_contact} rel="noopener noreferrer" target="_blank" dir="ltr">
              {e.support_contact}
            </Link>
          </Typography>
        )}
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1} sx={{ mt: 2 }}>
          {e.status === 'open' && (
            <Button variant="contained" component={RouterLink} to={`/elections/${e.id}/vote`}>
              {t('elections.vote')}
            </Button>
          )}
          {['open', 'closed', 'tallied', 'results_published'].includes(e.status) && (
            <Button component={RouterLink} to={`/elections/${e.id}/bulletin`}>
              {t('bulletin.open')}
            </Button>
          )}
          {trustee && (
            <Button component={RouterLink} to={`/elections/${e.id}/trustee`} data-testid="trustee-page">
              {t('trustee.open')}
            </Button>
          )}
        </Stack>
      </Paper>
      {results.data && <ResultsTable election={e} results={results.data} />}
      {e.contests.map((c) => (
        <Paper key={c.id} variant="outlined" sx={{ p: 2 }}>
          <Typography variant="h6" component="h2">
            {c.title}
          </Typography>
          <Typography color="text.secondary">{t('elections.contestRule', { seats: n(c.seats), max: n(c.max_selections) })}</Typography>
          <List data-testid="candidates">
            {c.candidates.map((k) => (
              <ListItem key={k.id} disableGutters>
                <ListItemAvatar>
                  <Avatar src={k.photo_url ?? undefined} alt={`${k.first_name} ${k.last_name}`} />
                </ListItemAvatar>
                <ListItemText
                  primary={`${k.first_name} ${k.last_name} (${t('elections.code')} ${lang === 'fa' ? toPersianDigits(k.election_code) : k.election_code})`}
                  secondary={
                    <>
                      {[k.academic_rank, k.university, k.field].filter(Boolean).join(' · ')}
                      {k.resume_url && (
                        <>
                          {' · '}
                          <Link href={k.resume_url}>{t('elections.resume')}</Link>
                        </>
                      )}
                      {k.programme_url && (
                        <>
                          {' · '}
                          <Link href={k.programme_url}>{t('elections.programme')}</Link>
                        </>
                      )}
                    </>
                  }
                />
              </ListItem>
            ))}
          </List>
        </Paper>
      ))}
    </Stack>
  );
}
