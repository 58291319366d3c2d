import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import IconButton from '@mui/material/IconButton';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemText from '@mui/material/ListItemText';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import DeleteIcon from '@mui/icons-material/Delete';
import { DateTimePicker } from '@mui/x-date-pickers/DateTimePicker';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink, useNavigate } from 'react-router';
import type { Schemas } from '../../api/client';
import { useAuth } from '../../app/auth';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { FileButton } from '../../components/FileButton';
import { FormAlert, problemText } from '../../components/forms';
import type { Lang } from '../../i18n';
import { formatDateTime } from '../../lib/dates';
import { toAsciiDigits, toPersianDigits } from '../../lib/digits';
import { type Step, useAddCandidate, useAssociationElections, useCreateElection, useElectionStep, useExtendElection, useTurnout } from './api';

type Election = Schemas['ElectionDto'];


/** A new election with its contests (EL-01), created as a draft. */
function CreateElection({ associationId, onClose }: { associationId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [support, setSupport] = useState('');
  const [starts, setStarts] = useState<Date | null>(null);
  const [ends, setEnds] = useState<Date | null>(null);
  const [contests, setContests] = useState([{ title: '', seats: '1', alternates: '0', max_selections: '1' }]);
  const { me } = useAuth();
  const [trustees, setTrustees] = useState(me?.national_code ?? '');
  const [threshold, setThreshold] = useState('1');
  const create = useCreateElection(associationId, { onSuccess: (e) => void navigate(`/elections/${e.id}`) });
  const submit = () =>
    create.mutate({
            title,
            description,
            support_contact: support,
            starts_at: starts?.toISOString() ?? null,
            ends_at: ends?.toISOString() ?? null,
            contests: contests.map((c) => ({ title: c.title, seats: Number(toAsciiDigits(c.seats)) || 0, alternates: Number(toAsciiDigits(c.alternates)) || 0, max_selections: Number(toAsciiDigits(c.max_selections)) || 0 })),
            trustees: toAsciiDigits(trustees)
              .split(/[\s,،]+/)
              .filter(Boolean),
            trustee_threshold: Number(toAsciiDigits(threshold)) || 0,
    });
  const set = (i: number, key: 'title' | 'seats' | 'alternates' | 'max_selections', v: string) => setContests(contests.map((c, j) => (j === i ? { ...c, [key]: v } : c)));
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="md">
      <DialogTitle>{t('electionAdmin.create')}</DialogTitle>
      <DialogContent>
        <FormAlert message={problemText(create.error)} />
        <Stack spacing={2} sx={{ mt: 1 }}>
          <TextField id="election-title" label={t('electionAdmin.title')} value={title} onChange={(e) => setTitle(e.target.value)} fullWidth />
          <TextField id="election-description" label={t('electionAdmin.description')} value={description} onChange={(e) => setDescription(e.target.value)} fullWidth multiline minRows={3} />
          <TextField id="election-support" label={t('electionAdmin.support')} value={support} onChange={(e) => setSupport(e.target.value)} fullWidth slotProps={{ htmlInput: { dir: 'ltr' } }} />
          <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
            <DateTimePicker label={t('elections.starts')} value={starts} onChange={setStarts} ampm={false} slotProps={{ textField: { fullWidth: true, id: 'election-starts' } }} />
            <DateTimePicker label={t('elections.ends')} value={ends} onChange={setEnds} ampm={false} slotProps={{ textField: { fullWidth: true, id: 'election-ends' } }} />
          </Stack>
          <Typography variant="subtitle1" component="h3">
            {t('electionAdmin.contests')}
          </Typography>
          {contests.map((c, i) => (
            <Stack key={i} direction={{ xs: 'column', sm: 'row' }} spacing={1} sx={{ alignItems: 'center' }}>
              <TextField id={`contest-${i}-title`} size="small" label={t('electionAdmin.contestTitle')} value={c.title} onChange={(e) => set(i, 'title', e.target.value)} fullWidth />
              <TextField id={`contest-${i}-seats`} size="small" label={t('electionAdmin.seats')} value={c.seats} onChange={(e) => set(i, 'seats', e.target.value)} sx={{ width: 110 }} slotProps={{ htmlInput: { inputMode: 'numeric' } }} />
              <TextField id={`contest-${i}-alternates`} size="small" label={t('electionAdmin.alternates')} value={c.alternates} onChange={(e) => set(i, 'alternates', e.target.value)} sx={{ width: 110 }} slotProps={{ htmlInput: { inputMode: 'numeric' } }} />
              <TextField id={`contest-${i}-max`} size="small" label={t('electionAdmin.max')} value={c.max_selections} onChange={(e) => set(i, 'max_selections', e.target.value)} sx={{ width: 110 }} slotProps={{ htmlInput: { inputMode: 'numeric' } }} />
              <IconButton aria-label={t('electionAdmin.removeContest')} disabled={contests.length === 1} onClick={() => setContests(contests.filter((_, j) => j !== i))}>
                <DeleteIcon />
              </IconButton>
            </Stack>
          ))}
          <Button sx={{ alignSelf: 'flex-start' }} onClick={() => setContests([...contests, { title: '', seats: '1', alternates: '0', max_selections: '1' }])}>
            {t('electionAdmin.addContest')}
          </Button>
          <Typography variant="subtitle1" component="h3">
            {t('electionAdmin.trustees')}
          </Typography>
          <Typography variant="body2" color="text.secondary">
            {t('electionAdmin.trusteesHelp')}
          </Typography>
          <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1}>
            <TextField id="election-trustees" label={t('electionAdmin.trusteeCodes')} value={trustees} onChange={(e) => setTrustees(e.target.value)} fullWidth slotProps={{ htmlInput: { dir: 'ltr', inputMode: 'numeric' } }} />
            <TextField id="election-threshold" label={t('electionAdmin.threshold')} value={threshold} onChange={(e) => setThreshold(e.target.value)} sx={{ width: { sm: 200 } }} slotProps={{ htmlInput: { inputMode: 'numeric' } }} />
          </Stack>
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{t('admin.cancel')}</Button>
        <Button variant="contained" disabled={create.isPending} onClick={submit}>
          {t('electionAdmin.createDraft')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/** The association's elections on its page (AS-08); its admins also see drafts and create them. */
export function AssociationElections({ associationId, manager }: { associationId: string; manager: boolean }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const [creating, setCreating] = useState(false);
  const { status } = useAuth();
  const list = useAssociationElections(associationId, manager, status !== 'restoring');
  return (
    <Paper variant="outlined" sx={{ p: 2 }}>
      <Stack direction="row" sx={{ justifyContent: 'space-between', alignItems: 'center' }}>
        <Typography variant="h6" component="h2">
          {t('elections.title')}
        </Typography>
        {manager && (
          <Button variant="outlined" onClick={() => setCreating(true)}>
            {t('electionAdmin.create')}
          </Button>
        )}
      </Stack>
      {list.data?.items.length === 0 && <Typography color="text.secondary">{t('elections.none')}</Typography>}
      <List data-testid="association-elections">
        {list.data?.items.map((e) => (
          <ListItem key={e.id} disableGutters>
            <ListItemText primary={<RouterLink to={`/elections/${e.id}`}>{e.title}</RouterLink>} secondary={`${t(`elections.statuses.${e.status}`)} · ${formatDateTime(e.starts_at, lang)}`} />
          </ListItem>
        ))}
      </List>
      {creating && <CreateElection associationId={associationId} onClose={() => setCreating(false)} />}
    </Paper>
  );
}

function AddCandidate({ election }: { election: Election }) {
  const { t } = useTranslation();
  const [contest, setContest] = useState(election.contests[0]?.id ?? '');
  const [values, setValues] = useState({ national_code: '', election_code: '', university: '', field: '', academic_rank: '' });
  const [files, setFiles] = useState<Record<string, string>>({});
  const add = useAddCandidate(election.id, {
    onSuccess: () => {
      setValues({ national_code: '', election_code: '', university: '', field: '', academic_rank: '' });
      setFiles({});
    },
  });
  return (
    <Stack spacing={2}>
      <Typography variant="subtitle1" component="h3">
        {t('electionAdmin.addCandidate')}
      </Typography>
      <FormAlert message={problemText(add.error)} />
      <Stack direction={{ xs: 'column', md: 'row' }} spacing={1}>
        <TextField id="candidate-contest" select size="small" label={t('electionAdmin.contest')} value={contest} onChange={(e) => setContest(e.target.value)} sx={{ minWidth: 180 }}>
          {election.contests.map((c) => (
            <MenuItem key={c.id} value={c.id}>
              {c.title}
            </MenuItem>
          ))}
        </TextField>
        {(['national_code', 'election_code', 'university', 'field', 'academic_rank'] as const).map((f) => (
          <TextField key={f} id={`candidate-${f}`} size="small" label={t(`electionAdmin.${f}`)} value={values[f]} onChange={(e) => setValues({ ...values, [f]: e.target.value })} fullWidth />
        ))}
      </Stack>
      <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap' }}>
        {(['candidate_photo', 'candidate_resume', 'candidate_programme'] as const).map((purpose) => (
          <FileButton
            key={purpose}
            purpose={purpose}
            accept={purpose === 'candidate_photo' ? 'image/png,image/jpeg,image/webp' : 'application/pdf'}
            label={t(`electionAdmin.${purpose}`)}
            variant={files[purpose] ? 'contained' : 'outlined'}
            size="small"
            onUploaded={(info) => setFiles((f) => ({ ...f, [purpose]: info.id }))}
          />
        ))}
      </Stack>
      <Button variant="contained" sx={{ alignSelf: 'flex-start' }} disabled={add.isPending} onClick={() =>
          add.mutate({
            contest_id: contest,
            ...values,
            national_code: toAsciiDigits(values.national_code),
            photo_file_id: files.candidate_photo ?? null,
            resume_file_id: files.candidate_resume ?? null,
            programme_file_id: files.candidate_programme ?? null,
          })
        }>
        {t('electionAdmin.addCandidate')}
      </Button>
    </Stack>
  );
}



/** The trustees and the key ceremony's progress, for the association's admins (EL-10). */
function TrusteesPanel({ election, onRestart }: { election: Election; onRestart: () => void }) {
  const { t, i18n } = useTranslation();
  const n = (v: number) => (i18n.language === 'fa' ? toPersianDigits(v) : String(v));
  const step = (x: Election['trustees'][number]) =>
    election.status === 'closed'
      ? x.decrypted
        ? t('trustee.done.decrypted')
        : t('electionAdmin.awaitingDecryption')
      : x.confirmed
        ? t('trustee.done.confirm')
        : x.dealing_published
          ? t('trustee.done.dealing')
          : x.transport_published
            ? t('trustee.done.transport')
            : t('trustee.done.none');
  return (
    <Stack spacing={1} data-testid="trustees-panel">
      <Typography variant="subtitle1" component="h3">
        {`${t('electionAdmin.trustees')} — ${t('electionAdmin.thresholdOf', { k: n(election.trustee_threshold), n: n(election.trustees.length) })}`}
      </Typography>
      <List dense>
        {election.trustees.map((x) => (
          <ListItem key={x.trustee} disableGutters>
            <ListItemText primary={`${n(x.trustee)}. ${x.name}`} secondary={step(x)} />
          </ListItem>
        ))}
      </List>
      {election.status === 'draft' && (
        <Typography variant="body2" color={election.public_key ? 'success.main' : 'text.secondary'} data-testid="ceremony-state">
          {election.public_key ? t('electionAdmin.keyReady') : t('electionAdmin.keyPending')}
        </Typography>
      )}
      {election.status === 'draft' && election.ceremony_phase !== 'transport' && (
        <Button color="warning" size="small" sx={{ alignSelf: 'flex-start' }} onClick={onRestart}>
          {t('electionAdmin.restartCeremony')}
        </Button>
      )}
    </Stack>
  );
}

/** What the association's admins do with an election, by its state (EL-02, EL-11). */
export function ElectionAdminPanel({ election }: { election: Election }) {
  const { t, i18n } = useTranslation();
  const n = (v: number) => (i18n.language === 'fa' ? toPersianDigits(v) : String(v));
  const [confirming, setConfirming] = useState<Step | null>(null);
  const [reason, setReason] = useState('');
  const [newEnd, setNewEnd] = useState<Date | null>(null);
  const id = election.id;
  const turnout = useTurnout(election);
  const act = useElectionStep(id, {
    onSuccess: () => setConfirming(null),
    // The reason shows above the buttons (e.g. the trustees have not decrypted yet).
    onError: () => setConfirming(null),
  });
  const extend = useExtendElection(id, { onSuccess: () => setReason('') });
  const s = election.status;
  return (
    <Paper variant="outlined" sx={{ p: 2 }} data-testid="election-admin">
      <Typography variant="h6" component="h2" gutterBottom>
        {t('electionAdmin.manage')}
      </Typography>
      <FormAlert message={problemText(act.error ?? extend.error)} />
      {turnout.data && (
        <Typography data-testid="turnout" sx={{ mb: 2 }}>
          {t('elections.turnout', { voted: n(turnout.data.voted), roll: n(turnout.data.roll_size ?? election.electorate) })}
        </Typography>
      )}
      <Stack spacing={2}>
        {['draft', 'closed'].includes(s) && <TrusteesPanel election={election} onRestart={() => setConfirming('restart')} />}
        {(s === 'draft' || s === 'published') && <AddCandidate election={election} />}
        <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap' }}>
          {s === 'draft' && (
            <Button variant="contained" onClick={() => setConfirming('publish')}>
              {t('electionAdmin.publish')}
            </Button>
          )}
          {s === 'closed' && (
            <Button variant="contained" onClick={() => setConfirming('tally')}>
              {t('electionAdmin.tally')}
            </Button>
          )}
          {s === 'tallied' && (
            <Button variant="contained" onClick={() => setConfirming('publish-results')}>
              {t('electionAdmin.publishResults')}
            </Button>
          )}
          {['draft', 'published', 'open', 'closed'].includes(s) && (
            <Button color="error" onClick={() => setConfirming('cancel')}>
              {t('electionAdmin.cancelElection')}
            </Button>
          )}
        </Stack>
        {s === 'open' && (
          <Stack direction={{ xs: 'column', md: 'row' }} spacing={1}>
            <DateTimePicker label={t('electionAdmin.newEnd')} value={newEnd} onChange={setNewEnd} ampm={false} slotProps={{ textField: { size: 'small' } }} />
            <TextField id="extend-reason" size="small" label={t('electionAdmin.reason')} value={reason} onChange={(e) => setReason(e.target.value)} fullWidth />
            <Button disabled={extend.isPending} onClick={() => extend.mutate({ ends_at: newEnd?.toISOString() ?? '', reason })}>
              {t('electionAdmin.extend')}
            </Button>
          </Stack>
        )}
      </Stack>
      {confirming && confirming !== 'cancel' && (
        <ConfirmDialog
          title={t(`electionAdmin.confirm.${confirming}.title`)}
          text={t(`electionAdmin.confirm.${confirming}.text`)}
          confirm={t(`electionAdmin.confirm.${confirming}.title`)}
          busy={act.isPending}
          onConfirm={() => act.mutate({ step: confirming, reason })}
          onCancel={() => setConfirming(null)}
        />
      )}
      {confirming === 'cancel' && (
        <Dialog open onClose={() => setConfirming(null)} fullWidth>
          <DialogTitle>{t('electionAdmin.cancelElection')}</DialogTitle>
          <DialogContent>
            <Typography sx={{ mb: 2 }}>{t('electionAdmin.cancelText')}</Typography>
            <TextField id="cancel-reason" label={t('electionAdmin.reason')} value={reason} onChange={(e) => setReason(e.target.value)} fullWidth />
          </DialogContent>
          <DialogActions>
            <Button onClick={() => setConfirming(null)}>{t('admin.cancel')}</Button>
            <Button color="error" variant="contained" disabled={act.isPending} onClick={() => act.mutate({ step: 'cancel', reason })}>
              {t('electionAdmin.cancelElection')}
            </Button>
          </DialogActions>
        </Dialog>
      )}
    </Paper>
  );
}
