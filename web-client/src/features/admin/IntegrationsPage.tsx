import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import Chip from '@mui/material/Chip';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormGroup from '@mui/material/FormGroup';
import FormHelperText from '@mui/material/FormHelperText';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Switch from '@mui/material/Switch';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { DatePicker } from '@mui/x-date-pickers/DatePicker';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiProblem, type Schemas } from '../../api/client';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { FormAlert } from '../../components/forms';
import { DataTable, usePaging } from '../../components/DataTable';
import type { Lang } from '../../i18n';
import { formatDate, formatDateTime, isoDay } from '../../lib/dates';
import { toPersianDigits } from '../../lib/digits';
import { useApiKeys, useCreateApiKey, useCreateWebhook, useDeliveries, useIntegrationsCatalogue, useKeyAction, useRedeliver, useUpdateWebhook, useWebhooks } from './api';

type Catalogue = Schemas['OwnerCatalogue'];
type Key = Schemas['KeyDto'];
type Webhook = Schemas['WebhookDto'];

const ownerId = (c: { owner: string; province_id?: string | null }) => `${c.owner}:${c.province_id ?? ''}`;

function fieldError(error: unknown, field: string): string | undefined {
  return error instanceof ApiProblem ? error.fields[field]?.join(' ') : undefined;
}

/** The secret of a new or rotated key or subscription: shown once, with a copy button. */
function SecretDialog({ secret, onClose }: { secret: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  return (
    <Dialog open={Boolean(secret)} onClose={onClose} fullWidth>
      <DialogTitle>{t('integrations.secretTitle')}</DialogTitle>
      <DialogContent>
        <Alert severity="warning" sx={{ mb: 2 }}>
          {t('integrations.secretOnce')}
        </Alert>
        <TextField id="issued-secret" label={t('integrations.secret')} value={secret ?? ''} fullWidth slotProps={{ htmlInput: { dir: 'ltr', readOnly: true } }} />
      </DialogContent>
      <DialogActions>
        <Button
          onClick={() => {
            if (secret) void navigator.clipboard?.writeText(secret).then(() => setCopied(true));
          }}
        >
          {copied ? t('integrations.copied') : t('integrations.copy')}
        </Button>
        <Button variant="contained" onClick={() => { setCopied(false); onClose(); }}>
          {t('integrations.secretSaved')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

function OwnerSelect({ catalogue, value, onChange }: { catalogue: Catalogue[]; value: string; onChange: (v: string) => void }) {
  const { t, i18n } = useTranslation();
  if (catalogue.length < 2) return null;
  return (
    <TextField id="owner" select label={t('integrations.owner')} value={value} onChange={(e) => onChange(e.target.value)} sx={{ minWidth: 220 }}>
      {catalogue.map((c) => (
        <MenuItem key={ownerId(c)} value={ownerId(c)}>
          {t(`integrations.owners.${c.owner}`)} {(i18n.language === 'fa' ? c.province_name : c.province_name_en) ?? ''}
        </MenuItem>
      ))}
    </TextField>
  );
}

function KeysSection({ catalogue }: { catalogue: Catalogue[] }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const [owner, setOwner] = useState(ownerId(catalogue[0]));
  const current = catalogue.find((c) => ownerId(c) === owner) ?? catalogue[0];
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>([]);
  // A year ahead by default: long enough to set up, short enough to be renewed knowingly.
  const [expires, setExpires] = useState<Date | null>(() => new Date(Date.now() + 365 * 86_400_000));
  const [secret, setSecret] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<{ key: Key; action: 'rotate' | 'revoke' } | null>(null);
  const keys = useApiKeys();
  const createKey = useCreateApiKey({
    onSuccess: (issued) => {
      setSecret(issued.secret);
      setName('');
      setScopes([]);
    },
  });
  const issueKey = () => createKey.mutate({ name, owner: current.owner, province_id: current.province_id, scopes, expires_on: isoDay(expires) ?? '' });
  const keyAction = useKeyAction({
    onSuccess: (newSecret) => {
      if (newSecret) setSecret(newSecret);
    },
    onSettled: () => setConfirm(null),
  });
  return (
    <Paper variant="outlined" sx={{ p: 2 }}>
      <Typography variant="h6" component="h2" gutterBottom>
        {t('integrations.keysTitle')}
      </Typography>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
        {t('integrations.keysHelp')}
      </Typography>
      <FormAlert message={createKey.error && !(createKey.error instanceof ApiProblem && Object.keys(createKey.error.fields).length) ? createKey.error.message : keyAction.error ? keyAction.error.message : null} />
      <Stack component="form" direction={{ xs: 'column', md: 'row' }} spacing={2} sx={{ mb: 2 }} onSubmit={(e) => { e.preventDefault(); issueKey(); }}>
        <OwnerSelect catalogue={catalogue} value={owner} onChange={(v) => { setOwner(v); setScopes([]); }} />
        <TextField id="key-name" label={t('integrations.keyName')} value={name} onChange={(e) => setName(e.target.value)} error={Boolean(fieldError(createKey.error, 'name'))} helperText={fieldError(createKey.error, 'name')} />
        <DatePicker
          label={t('integrations.expiresOn')}
          value={expires}
          onChange={setExpires}
          slotProps={{ textField: { id: 'key-expires', error: Boolean(fieldError(createKey.error, 'expires_on')), helperText: fieldError(createKey.error, 'expires_on') ?? t('integrations.expiresHelp') } }}
        />
        <FormGroup>
          {current.scopes.map((s) => (
            <FormControlLabel key={s} label={t(`integrations.scopes.${s.replace(':', '_')}`)} control={<Checkbox checked={scopes.includes(s)} onChange={(e) => setScopes(e.target.checked ? [...scopes, s] : scopes.filter((x) => x !== s))} />} />
          ))}
          {fieldError(createKey.error, 'scopes') && <FormHelperText error>{fieldError(createKey.error, 'scopes')}</FormHelperText>}
        </FormGroup>
        <div>
          <Button type="submit" variant="contained" disabled={createKey.isPending}>
            {t('integrations.createKey')}
          </Button>
        </div>
      </Stack>
        <DataTable
          label={t('integrations.keysTitle')}
          testId="key-rows"
          rows={keys.data}
          rowKey={(k) => k.id}
          columns={[
            { header: t('integrations.keyName'), cell: (k) => k.name },
            { header: t('integrations.prefix'), dir: 'ltr', cell: (k) => `${k.prefix}…` },
            { header: t('integrations.scopesTitle'), cell: (k) => k.scopes.map((s) => t(`integrations.scopes.${s.replace(':', '_')}`)).join('، ') },
            { header: t('integrations.expiresOn'), cell: (k) => formatDate(k.expires_at, lang) },
            { header: t('integrations.lastUsed'), cell: (k) => (k.last_used_at ? formatDateTime(k.last_used_at, lang) : '—') },
            { header: t('admin.status'), cell: (k) => <Chip size="small" label={t(`integrations.keyStatus.${k.status}`)} color={k.status === 'active' ? 'success' : 'default'} /> },
            {
              header: '',
              sx: { whiteSpace: 'nowrap' },
              cell: (k) =>
                k.status !== 'revoked' && (
                  <>
                    <Button size="small" onClick={() => setConfirm({ key: k, action: 'rotate' })}>
                      {t('integrations.rotate')}
                    </Button>
                    <Button size="small" color="error" onClick={() => setConfirm({ key: k, action: 'revoke' })}>
                      {t('integrations.revoke')}
                    </Button>
                  </>
                ),
            },
          ]}
        />
      <SecretDialog secret={secret} onClose={() => setSecret(null)} />
      {confirm && (
        <ConfirmDialog
          title={t(`integrations.${confirm.action}`)}
          text={t(`integrations.${confirm.action}Confirm`, { name: confirm.key.name })}
          confirm={t(`integrations.${confirm.action}`)}
          busy={keyAction.isPending}
          onConfirm={() => keyAction.mutate({ id: confirm.key.id, action: confirm.action })}
          onCancel={() => setConfirm(null)}
        />
      )}
    </Paper>
  );
}

function Deliveries({ hook }: { hook: Webhook }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const paging = usePaging(10);
  const { page, perPage } = paging;
  const n = (v: number) => (lang === 'fa' ? toPersianDigits(v) : String(v));
  const log = useDeliveries(hook.id, page, perPage);
  const redeliver = useRedeliver(hook.id);
  return (
    <>
      <FormAlert message={redeliver.error ? redeliver.error.message : null} />
        <DataTable
          label={t('integrations.deliveries')}
          testId="delivery-rows"
          rows={log.data?.items}
          rowKey={(d) => d.id}
          paging={{ ...paging, total: log.data?.total ?? 0 }}
          columns={[
            { header: t('admin.created'), sx: { whiteSpace: 'nowrap' }, cell: (d) => formatDateTime(d.created_at, lang) },
            { header: t('integrations.event'), dir: 'ltr', cell: (d) => d.event },
            { header: t('admin.status'), cell: (d) => t(`admin.statuses.${d.status}`) },
            { header: t('admin.attempts'), cell: (d) => n(d.attempts) },
            { header: t('admin.lastError'), dir: 'ltr', sx: { fontSize: 12 }, cell: (d) => d.last_error ?? '—' },
            {
              header: '',
              cell: (d) => (
                <Button size="small" disabled={redeliver.isPending} onClick={() => redeliver.mutate(d.id)}>
                  {t('integrations.redeliver')}
                </Button>
              ),
            },
          ]}
        />
    </>
  );
}

function WebhooksSection({ catalogue }: { catalogue: Catalogue[] }) {
  const { t } = useTranslation();
  const [owner, setOwner] = useState(ownerId(catalogue[0]));
  const current = catalogue.find((c) => ownerId(c) === owner) ?? catalogue[0];
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<string[]>([]);
  const [secret, setSecret] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const hooks = useWebhooks();
  const createHook = useCreateWebhook({
    onSuccess: (issued) => {
      setSecret(issued.secret);
      setUrl('');
      setEvents([]);
    },
  });
  const update = useUpdateWebhook();
  const toggle = (h: Webhook) => update.mutate({ id: h.id, url: h.url, events: h.events, active: !h.active });
  return (
    <Paper variant="outlined" sx={{ p: 2 }}>
      <Typography variant="h6" component="h2" gutterBottom>
        {t('integrations.webhooksTitle')}
      </Typography>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
        {t('integrations.webhooksHelp')}
      </Typography>
      <FormAlert message={update.error ? update.error.message : createHook.error && !(createHook.error instanceof ApiProblem && Object.keys(createHook.error.fields).length) ? createHook.error.message : null} />
      <Stack component="form" direction={{ xs: 'column', md: 'row' }} spacing={2} sx={{ mb: 2 }} onSubmit={(e) => { e.preventDefault(); createHook.mutate({ owner: current.owner, province_id: current.province_id, url, events }); }}>
        <OwnerSelect catalogue={catalogue} value={owner} onChange={(v) => { setOwner(v); setEvents([]); }} />
        <TextField id="hook-url" label={t('integrations.url')} value={url} onChange={(e) => setUrl(e.target.value)} error={Boolean(fieldError(createHook.error, 'url'))} helperText={fieldError(createHook.error, 'url')} slotProps={{ htmlInput: { dir: 'ltr' } }} sx={{ minWidth: 280 }} />
        <FormGroup>
          {current.events.map((ev) => (
            <FormControlLabel key={ev} label={t(`integrations.events.${ev.replace('.', '_')}`)} control={<Checkbox checked={events.includes(ev)} onChange={(e) => setEvents(e.target.checked ? [...events, ev] : events.filter((x) => x !== ev))} />} />
          ))}
          {fieldError(createHook.error, 'events') && <FormHelperText error>{fieldError(createHook.error, 'events')}</FormHelperText>}
        </FormGroup>
        <div>
          <Button type="submit" variant="contained" disabled={createHook.isPending}>
            {t('integrations.subscribe')}
          </Button>
        </div>
      </Stack>
      <Stack spacing={1} data-testid="webhook-list">
        {hooks.data?.map((h) => (
          <Paper key={h.id} variant="outlined" sx={{ p: 1.5 }}>
            <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ alignItems: { sm: 'center' } }}>
              <Typography dir="ltr" sx={{ flex: 1, overflowWrap: 'anywhere' }}>
                {h.url}
              </Typography>
              <Typography variant="body2">{h.events.map((ev) => t(`integrations.events.${ev.replace('.', '_')}`)).join('، ')}</Typography>
              <FormControlLabel label={t('integrations.active')} control={<Switch checked={h.active} disabled={update.isPending} onChange={() => toggle(h)} />} />
              <Button size="small" onClick={() => setOpen(open === h.id ? null : h.id)}>
                {t('integrations.deliveries')}
              </Button>
            </Stack>
            {open === h.id && <Deliveries hook={h} />}
          </Paper>
        ))}
        {hooks.data?.length === 0 && <Typography color="text.secondary">{t('admin.empty')}</Typography>}
      </Stack>
      <SecretDialog secret={secret} onClose={() => setSecret(null)} />
    </Paper>
  );
}

/** API keys and webhook subscriptions of the owners the admin administers (PL-06). */
export function IntegrationsPage() {
  const { t } = useTranslation();
  const catalogue = useIntegrationsCatalogue();
  return (
    <Stack spacing={2}>
      <Typography variant="h5" component="h1">
        {t('integrations.title')}
      </Typography>
      <FormAlert message={catalogue.error ? catalogue.error.message : null} />
      {catalogue.data && catalogue.data.length === 0 && <Alert severity="info">{t('integrations.none')}</Alert>}
      {catalogue.data && catalogue.data.length > 0 && (
        <>
          <KeysSection catalogue={catalogue.data} />
          <WebhooksSection catalogue={catalogue.data} />
        </>
      )}
    </Stack>
  );
}
