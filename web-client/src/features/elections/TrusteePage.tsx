import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemText from '@mui/material/ListItemText';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import type { Schemas } from '../../api/client';
import { FormAlert } from '../../components/forms';
import {
  combineShares,
  deal,
  decryptAggregate,
  mul,
  parseScalar,
  pointHex,
  transportKey,
  type ContestAggregateJson,
  type DealingJson,
  type TransportKeyJson,
} from '../../lib/ballot/crypto';
import { ristretto255 } from '@noble/curves/ed25519.js';
import { toPersianDigits } from '../../lib/digits';
import { trusteeCalls, useAfterTrusteeStep, useCeremony } from './api';

type Ceremony = Schemas['Ceremony'];

/** What a trustee keeps on its own device: its key share, never sent to the server. */
export type TrusteeKeyFile = {
  kind: 'anjoman-trustee-key';
  version: 1;
  election: string;
  trustee: number;
  key_share: string;
  verification_key: string;
};

const transportSlot = (election: string, trustee: number) => `anjoman-trustee-transport:${election}:${trustee}`;

function download(name: string, content: string) {
  const url = URL.createObjectURL(new Blob([content], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Reads and checks a key file on this device: it must be this trustee's, and its share must match its verification key. */
export function parseKeyFile(text: string, election: string, trustee: number): TrusteeKeyFile {
  const f = JSON.parse(text) as TrusteeKeyFile;
  if (f.kind !== 'anjoman-trustee-key' || f.election !== election || f.trustee !== trustee) throw new Error('wrong-file');
  if (pointHex(mul(ristretto255.Point.BASE, parseScalar(f.key_share))) !== f.verification_key) throw new Error('wrong-file');
  return f;
}

/**
 * A trustee's page (EL-10): the three rounds of the key ceremony while the election is a draft —
 * each computed here, the secrets kept on this device — and, once voting has closed, the partial
 * decryption of the totals with the key file, which is read here and never uploaded.
 */
export function TrusteePage() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const n = (v: number) => (i18n.language === 'fa' ? toPersianDigits(v) : String(v));
  const [saved, setSaved] = useState(false);
  // Others take their steps on their own devices: the page stays current while waiting.
  const ceremony = useCeremony(id);
  const after = useAfterTrusteeStep(id);
  const step = useMutation({
    mutationFn: async (what: 'transport' | 'dealing' | 'confirm'): Promise<Ceremony> => {
      const c = ceremony.data!;
      const j = c.me!;
      // Let the page paint its busy state before the arithmetic.
      await new Promise((r) => setTimeout(r, 30));
      if (what === 'transport') {
        const made = transportKey(id, j);
        localStorage.setItem(transportSlot(id, j), made.secret);
        return trusteeCalls.transport(id, { transport: made.published });
      }
      if (what === 'dealing') {
        const dealing = deal(id, j, c.threshold, c.transports as unknown as TransportKeyJson[]);
        return trusteeCalls.dealing(id, { dealing });
      }
      const secret = localStorage.getItem(transportSlot(id, j));
      if (!secret) throw new Error(t('trustee.noTransport'));
      let share: string;
      try {
        share = combineShares(id, j, secret, c.dealings as unknown as DealingJson[], c.threshold);
      } catch (e) {
        throw new Error(t('trustee.badShare', { why: (e as Error).message }));
      }
      const verification_key = pointHex(mul(ristretto255.Point.BASE, parseScalar(share)));
      const file: TrusteeKeyFile = { kind: 'anjoman-trustee-key', version: 1, election: id, trustee: j, key_share: share, verification_key };
      download(`anjoman-trustee-${j}-${id}.json`, JSON.stringify(file, null, 2));
      const out = await trusteeCalls.confirm(id, { verification_key });
      localStorage.removeItem(transportSlot(id, j));
      setSaved(true);
      return out;
    },
    onSuccess: after,
  });
  const decrypt = useMutation({
    mutationFn: async (file: File): Promise<Ceremony> => {
      const c = ceremony.data!;
      let key: TrusteeKeyFile;
      try {
        key = parseKeyFile(await file.text(), id, c.me!);
      } catch {
        throw new Error(t('trustee.wrongFile'));
      }
      const agg = await trusteeCalls.aggregate(id);
      await new Promise((r) => setTimeout(r, 30));
      const partial_decryption = decryptAggregate(id, key.trustee, key.key_share, agg.contests as unknown as ContestAggregateJson[]);
      return trusteeCalls.partialDecryption(id, { partial_decryption });
    },
    onSuccess: after,
  });
  const c = ceremony.data;
  if (ceremony.error) return <FormAlert message={ceremony.error.message} />;
  if (!c) return null;
  const mine = c.trustees.find((x) => x.trustee === c.me);
  const busy = step.isPending || decrypt.isPending;
  const error = (step.error ?? decrypt.error)?.message ?? null;
  const fingerprint = c.public_key ? c.public_key.slice(0, 16).match(/.{4}/g)?.join(' ') : null;
  return (
    <Stack spacing={2}>
      <Typography variant="h5" component="h1">
        {t('trustee.title', { title: c.title })}
      </Typography>
      <Typography color="text.secondary">{t('trustee.intro', { k: n(c.threshold), n: n(c.trustees.length) })}</Typography>
      <Paper variant="outlined" sx={{ p: 2 }}>
        <Typography variant="h6" component="h2">
          {t('trustee.trustees')}
        </Typography>
        <List dense data-testid="trustees">
          {c.trustees.map((x) => (
            <ListItem key={x.trustee} disableGutters>
              <ListItemText
                primary={`${n(x.trustee)}. ${x.name}${x.trustee === c.me ? ` (${t('trustee.you')})` : ''}`}
                secondary={[
                  x.transport_published && t('trustee.done.transport'),
                  x.dealing_published && t('trustee.done.dealing'),
                  x.confirmed && t('trustee.done.confirm'),
                  x.decrypted && t('trustee.done.decrypted'),
                ]
                  .filter(Boolean)
                  .join(' · ') || t('trustee.done.none')}
              />
            </ListItem>
          ))}
        </List>
      </Paper>
      <FormAlert message={error} />
      {!mine && <Alert severity="info">{t('trustee.notYou')}</Alert>}
      {mine && c.status === 'draft' && (
        <Paper variant="outlined" sx={{ p: 2 }} data-testid="ceremony-step">
          {c.phase === 'transport' && !mine.transport_published && (
            <Stack spacing={1}>
              <Typography>{t('trustee.transportText')}</Typography>
              <Button variant="contained" disabled={busy} onClick={() => step.mutate('transport')} sx={{ alignSelf: 'flex-start' }}>
                {t('trustee.transport')}
              </Button>
            </Stack>
          )}
          {c.phase === 'dealing' && !mine.dealing_published && (
            <Stack spacing={1}>
              <Typography>{t('trustee.dealingText')}</Typography>
              <Button variant="contained" disabled={busy} onClick={() => step.mutate('dealing')} sx={{ alignSelf: 'flex-start' }}>
                {t('trustee.dealing')}
              </Button>
            </Stack>
          )}
          {c.phase === 'confirm' && !mine.confirmed && (
            <Stack spacing={1}>
              <Typography>{t('trustee.confirmText')}</Typography>
              <Button variant="contained" disabled={busy} onClick={() => step.mutate('confirm')} sx={{ alignSelf: 'flex-start' }}>
                {t('trustee.confirm')}
              </Button>
            </Stack>
          )}
          {c.phase !== 'done' &&
            ((c.phase === 'transport' && mine.transport_published) || (c.phase === 'dealing' && mine.dealing_published) || (c.phase === 'confirm' && mine.confirmed)) && (
              <Alert severity="info" role="status" data-testid="ceremony-waiting">
                {t('trustee.waiting')}
              </Alert>
            )}
          {saved && (
            <Alert severity="warning" sx={{ mt: 1 }} data-testid="key-saved">
              {t('trustee.keepFile')}
            </Alert>
          )}
          {c.phase === 'done' && (
            <Alert severity="success" role="status" data-testid="ceremony-done">
              {t('trustee.ready', { fingerprint })}
            </Alert>
          )}
        </Paper>
      )}
      {mine && c.status !== 'draft' && c.status !== 'closed' && c.phase === 'done' && (
        <Alert severity="info" data-testid="ceremony-done">
          {c.status === 'published' || c.status === 'open' ? t('trustee.untilClose') : t('trustee.over')}
        </Alert>
      )}
      {mine && c.status === 'closed' && (
        <Paper variant="outlined" sx={{ p: 2 }} data-testid="decrypt-step">
          {mine.decrypted ? (
            <Alert severity="success" role="status" data-testid="decrypted">
              {t('trustee.decrypted', { have: n(c.trustees.filter((x) => x.decrypted).length), k: n(c.threshold) })}
            </Alert>
          ) : (
            <Stack spacing={1}>
              <Typography>{t('trustee.decryptText')}</Typography>
              <Button variant="contained" component="label" disabled={busy} sx={{ alignSelf: 'flex-start' }}>
                {t('trustee.decrypt')}
                <input
                  hidden
                  type="file"
                  accept="application/json,.json"
                  data-testid="key-file"
                  onChange={(ev) => {
                    const file = ev.target.files?.[0];
                    if (file) decrypt.mutate(file);
                    ev.target.value = '';
                  }}
                />
              </Button>
            </Stack>
          )}
        </Paper>
      )}
      {fingerprint && c.status !== 'draft' && (
        <Typography variant="body2" color="text.secondary" dir="ltr" sx={{ fontFamily: 'monospace' }}>
          {`${t('trustee.fingerprint')}: ${fingerprint}`}
        </Typography>
      )}
    </Stack>
  );
}
