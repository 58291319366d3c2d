import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormGroup from '@mui/material/FormGroup';
import Paper from '@mui/material/Paper';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import Stack from '@mui/material/Stack';
import Step from '@mui/material/Step';
import StepLabel from '@mui/material/StepLabel';
import Stepper from '@mui/material/Stepper';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink, useParams } from 'react-router';
import { ApiProblem, type Schemas } from '../../api/client';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { FormAlert } from '../../components/forms';
import { checkAudit, encryptBallot, verifyBallot, parsePoint, type BallotJson, type ContestSecrets } from '../../lib/ballot/crypto';
import { toAsciiDigits, toPersianDigits } from '../../lib/digits';
import { useCastBallot, useElection, useEmailVoteCode, useMyVote, useRequestVoteCode, useSmsConfirmation } from './api';

type Sealed = { ballot: BallotJson; secrets: ContestSecrets[]; tracker: string };
type Audited = { tracker: string; choices: boolean[][] | null; data: string };

type Channel = 'email' | 'sms' | 'inbound';

/** Whole minutes left until the end, by the server's clock. */
function useRemaining(endsAt?: string, serverTime?: string): number | null {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((x) => x + 1), 30_000);
    return () => clearInterval(timer);
  }, []);
  const [offset] = useState(() => (serverTime ? new Date(serverTime).getTime() - Date.now() : 0));
  if (!endsAt) return null;
  void tick;
  return Math.max(0, Math.floor((new Date(endsAt).getTime() - (Date.now() + offset)) / 60_000));
}

/**
 * The voter's screens of seed 001: channel → choices → review and code → done (EL-06..08). The
 * choices are encrypted here, with proofs, before anything is sent (EL-10); the review step shows
 * the ballot's tracking code and lets the voter audit (spoil) an encrypted ballot, as in Helios.
 */
export function VotePage() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const n = (v: number | string) => (i18n.language === 'fa' ? toPersianDigits(String(v)) : String(v));
  const election = useElection(id);
  const mine = useMyVote(id);
  const [step, setStep] = useState(0);
  const [channel, setChannel] = useState<Channel>('email');
  const [choices, setChoices] = useState<Record<string, string[]>>({});
  const [issued, setIssued] = useState<Schemas['CodeIssued'] | null>(null);
  const [code, setCode] = useState('');
  const [tracking, setTracking] = useState<string | null>(null);
  const [sealed, setSealed] = useState<Sealed | null>(null);
  const [sealError, setSealError] = useState<string | null>(null);
  const [auditing, setAuditing] = useState(false);
  const [audited, setAudited] = useState<Audited | null>(null);
  const remaining = useRemaining(mine.data?.ends_at, mine.data?.server_time);
  const requestCode = useRequestVoteCode(id, {
    onSuccess: (x) => {
      setIssued(x);
      setCode(x.code ?? '');
    },
  });
  const emailNow = useEmailVoteCode(id, {
    onSuccess: (x) => {
      setIssued(x);
      setCode('');
    },
  });
  // Inbound channel: the page confirms by itself once the voter's SMS arrives.
  const confirmed = useSmsConfirmation(id, issued?.channel === 'inbound');
  const cast = useCastBallot(id, {
    onSuccess: (x) => {
      setTracking(x.tracking_code);
      setStep(3);
    },
  });
  const castSealed = () => cast.mutate({ ballot: sealed!.ballot, code: toAsciiDigits(code) });
  const e = election.data;
  const me = mine.data;
  /** Encrypts the current choices (after the page has painted its busy state). */
  const seal = () => {
    setSealed(null);
    setSealError(null);
    setTimeout(() => {
      try {
        if (!e?.public_key) throw new Error('no key');
        const contests = e.contests.map((c) => ({
          id: c.id,
          candidates: c.candidates.length,
          max: c.max_selections,
          selected: (choices[c.id] ?? []).map((cid) => c.candidates.findIndex((k) => k.id === cid)),
        }));
        setSealed(encryptBallot(e.id, e.public_key, contests));
      } catch {
        setSealError(t('elections.sealFailed'));
      }
    }, 30);
  };
  /** Spoils the sealed ballot: reveals what it encrypts, checks it here, and makes a new one. */
  const audit = () => {
    if (!sealed || !e?.public_key) return;
    const shape = e.contests.map((c) => ({ id: c.id, candidates: c.candidates.length, max: c.max_selections }));
    const proofs = verifyBallot(sealed.ballot, e.id, parsePoint(e.public_key), shape);
    const opened = checkAudit(sealed.ballot, sealed.secrets, e.public_key);
    const data = JSON.stringify({ kind: 'anjoman-audited-ballot', election: e.id, public_key: e.public_key, tracker: sealed.tracker, ballot: sealed.ballot, secrets: sealed.secrets }, null, 1);
    setAudited({ tracker: sealed.tracker, choices: proofs ? opened : null, data });
    setAuditing(false);
    seal();
  };
  const failure = election.error ?? mine.error;
  if (failure) return <FormAlert message={failure.message} />;
  if (!e || !me) return null;
  const toggle = (contest: string, candidate: string, max: number) => {
    const now = choices[contest] ?? [];
    const next = now.includes(candidate) ? now.filter((x) => x !== candidate) : now.length < max ? [...now, candidate] : now;
    setChoices({ ...choices, [contest]: next });
  };
  const nameOf = (cid: string) => {
    for (const c of e.contests) {
      const k = c.candidates.find((x) => x.id === cid);
      if (k) return `${k.first_name} ${k.last_name}`;
    }
    return cid;
  };
  const codeError = cast.error instanceof ApiProblem ? cast.error.fields.code?.join(' ') : undefined;
  const blocked = !tracking && (me.status !== 'open' ? t('elections.notOpen') : !me.on_roll ? t('elections.notOnRoll') : me.voted ? t('elections.alreadyVoted') : null);
  return (
    <Stack spacing={2}>
      <Typography variant="h5" component="h1">
        {e.title}
      </Typography>
      {remaining !== null && me.status === 'open' && !tracking && (
        <Alert severity="info" role="status" data-testid="remaining">
          {t('elections.remaining', { days: n(Math.floor(remaining / 1440)), hours: n(Math.floor((remaining % 1440) / 60)), minutes: n(remaining % 60) })}
        </Alert>
      )}
      {blocked ? (
        <Alert severity="warning" role="alert" data-testid="vote-blocked">
          {blocked}
        </Alert>
      ) : (
        <>
          <Stepper activeStep={step} alternativeLabel>
            {(['stepChannel', 'stepChoose', 'stepReview', 'stepDone'] as const).map((k) => (
              <Step key={k}>
                <StepLabel>{t(`elections.${k}`)}</StepLabel>
              </Step>
            ))}
          </Stepper>
          {step === 0 && (
            <Paper variant="outlined" sx={{ p: 2 }}>
              <Typography component="h2" variant="h6" id="channel-label">
                {t('elections.channelQuestion')}
              </Typography>
              <RadioGroup aria-labelledby="channel-label" value={channel} onChange={(ev) => setChannel(ev.target.value as Channel)}>
                <FormControlLabel value="email" control={<Radio />} label={t('elections.channels.email')} />
                <FormControlLabel value="sms" control={<Radio />} label={t('elections.channels.sms')} />
                <FormControlLabel value="inbound" control={<Radio />} label={t('elections.channels.inbound')} />
              </RadioGroup>
              <Button variant="contained" onClick={() => setStep(1)}>
                {t('elections.next')}
              </Button>
            </Paper>
          )}
          {step === 1 && (
            <Stack spacing={2}>
              {e.contests.map((c) => (
                <Paper key={c.id} variant="outlined" sx={{ p: 2 }} component="fieldset">
                  <Typography component="legend" variant="h6">
                    {`${c.title} — ${t('elections.chooseUpTo', { max: n(c.max_selections) })}`}
                  </Typography>
                  <FormGroup>
                    {c.candidates.map((k) => {
                      const picked = (choices[c.id] ?? []).includes(k.id);
                      const full = (choices[c.id] ?? []).length >= c.max_selections;
                      return (
                        <FormControlLabel
                          key={k.id}
                          control={<Checkbox checked={picked} disabled={!picked && full} onChange={() => toggle(c.id, k.id, c.max_selections)} />}
                          label={`${k.first_name} ${k.last_name} (${n(k.election_code)})`}
                        />
                      );
                    })}
                  </FormGroup>
                </Paper>
              ))}
              <Stack direction="row" spacing={1}>
                <Button onClick={() => setStep(0)}>{t('elections.back')}</Button>
                <Button
                  variant="contained"
                  onClick={() => {
                    setStep(2);
                    setAudited(null);
                    seal();
                    if (!issued) requestCode.mutate(channel);
                  }}
                >
                  {t('elections.review')}
                </Button>
              </Stack>
            </Stack>
          )}
          {step === 2 && (
            <Paper variant="outlined" sx={{ p: 2 }}>
              <Typography variant="h6" component="h2">
                {t('elections.yourChoices')}
              </Typography>
              <Stack spacing={1} sx={{ my: 1 }} data-testid="review">
                {e.contests.map((c) => (
                  <Typography key={c.id}>{`${c.title}: ${(choices[c.id] ?? []).map(nameOf).join('، ') || t('elections.blank')}`}</Typography>
                ))}
              </Stack>
              <Paper variant="outlined" sx={{ p: 1.5, my: 1 }} data-testid="sealed">
                {sealed ? (
                  <>
                    <Typography>{t('elections.sealed')}</Typography>
                    <Typography dir="ltr" sx={{ fontFamily: 'monospace', wordBreak: 'break-all' }} data-testid="sealed-tracker">
                      {sealed.tracker}
                    </Typography>
                    <Button size="small" onClick={() => setAuditing(true)} data-testid="audit">
                      {t('elections.audit')}
                    </Button>
                  </>
                ) : (
                  <Typography role="status">{sealError ?? t('elections.sealing')}</Typography>
                )}
              </Paper>
              {audited && (
                <Alert severity={audited.choices ? 'success' : 'error'} data-testid="audit-result" sx={{ mb: 1 }}>
                  <Typography dir="ltr" sx={{ fontFamily: 'monospace', wordBreak: 'break-all' }}>
                    {audited.tracker}
                  </Typography>
                  {audited.choices ? (
                    <>
                      <Typography>{t('elections.auditOk')}</Typography>
                      {e.contests.map((c, i) => (
                        <Typography key={c.id}>{`${c.title}: ${c.candidates.filter((_, k) => audited.choices![i][k]).map((k) => `${k.first_name} ${k.last_name}`).join('، ') || t('elections.blank')}`}</Typography>
                      ))}
                      <Typography>{t('elections.auditNew')}</Typography>
                    </>
                  ) : (
                    <Typography>{t('elections.auditBad')}</Typography>
                  )}
                  <Button size="small" href={`data:application/json;charset=utf-8,${encodeURIComponent(audited.data)}`} download={`audited-ballot-${audited.tracker.slice(0, 8)}.json`}>
                    {t('elections.auditDownload')}
                  </Button>
                </Alert>
              )}
              {auditing && <ConfirmDialog title={t('elections.audit')} text={t('elections.auditText')} confirm={t('elections.audit')} onConfirm={audit} onCancel={() => setAuditing(false)} />}
              <FormAlert message={requestCode.error ? requestCode.error.message : null} />
              {issued?.channel === 'inbound' && issued.code && (
                <Alert severity={confirmed.data?.confirmed_by_sms ? 'success' : 'info'} role="status" data-testid="inbound-instructions">
                  {confirmed.data?.confirmed_by_sms ? t('elections.smsArrived') : t('elections.textThis', { code: n(issued.code), number: n(issued.send_to_number ?? '') })}
                </Alert>
              )}
              {issued && issued.channel !== 'inbound' && (
                <Alert severity="info" role="status">
                  {t(`elections.codeSent.${issued.channel}`, { to: issued.sent_to ?? '' })}
                </Alert>
              )}
              {issued?.channel !== 'inbound' && (
                <TextField id="vote-code" label={t('elections.code6')} value={code} onChange={(ev) => setCode(ev.target.value)} error={Boolean(codeError)} helperText={codeError} slotProps={{ htmlInput: { dir: 'ltr', inputMode: 'numeric', autoComplete: 'one-time-code' } }} sx={{ mt: 2 }} />
              )}
              <FormAlert message={cast.error && !codeError ? cast.error.message : null} />
              <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1} sx={{ mt: 2 }}>
                <Button onClick={() => setStep(1)}>{t('elections.change')}</Button>
                {issued?.channel === 'sms' && (
                  <Button disabled={emailNow.isPending} onClick={() => emailNow.mutate()}>
                    {t('elections.emailInstead')}
                  </Button>
                )}
                <Button variant="contained" disabled={cast.isPending || !sealed || !code || (issued?.channel === 'inbound' && !confirmed.data?.confirmed_by_sms)} onClick={castSealed}>
                  {t('elections.cast')}
                </Button>
              </Stack>
            </Paper>
          )}
          {step === 3 && tracking && (
            <Paper variant="outlined" sx={{ p: 3 }} data-testid="vote-done">
              <Typography variant="h6" component="h2" gutterBottom>
                {t('elections.thanks')}
              </Typography>
              <Typography>{t('elections.trackingIntro')}</Typography>
              <Typography dir="ltr" sx={{ fontFamily: 'monospace', fontSize: '1.25rem', my: 1, wordBreak: 'break-all' }} data-testid="tracking-code">
                {tracking}
              </Typography>
              <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1}>
                <Button component={RouterLink} to={`/elections/${id}/bulletin?code=${encodeURIComponent(tracking)}`} data-testid="find-on-bulletin">
                  {t('bulletin.findMine')}
                </Button>
                <Button component={RouterLink} to={`/elections/${id}`}>
                  {t('elections.backToElection')}
                </Button>
              </Stack>
            </Paper>
          )}
        </>
      )}
    </Stack>
  );
}
