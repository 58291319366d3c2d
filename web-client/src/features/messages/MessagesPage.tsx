import AttachFileIcon from '@mui/icons-material/AttachFile';
import Autocomplete from '@mui/material/Autocomplete';
import Badge from '@mui/material/Badge';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import Chip from '@mui/material/Chip';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import FormControlLabel from '@mui/material/FormControlLabel';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import TextField from '@mui/material/TextField';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiProblem, type Schemas } from '../../api/client';
import { useAssociationList, useProvinces } from '../../api/reference';
import { FileButton } from '../../components/FileButton';
import { FormAlert } from '../../components/forms';
import { DataTable, usePaging } from '../../components/DataTable';
import type { Lang } from '../../i18n';
import { formatDateTime } from '../../lib/dates';
import { toAsciiDigits, toPersianDigits } from '../../lib/digits';
import { DEGREES } from '../associations';
import { useDownload, useMailboxes, useMarkUnread, useMessage, useMessagePage, useSendMessage } from './api';

type Mailbox = Schemas['MailboxDto'];
type Summary = Schemas['MessageSummary'];

function useMailboxName() {
  const { t } = useTranslation();
  return (m: Pick<Mailbox, 'kind' | 'name'>) =>
    m.kind === 'person' ? t('messages.mine') : m.kind === 'commission' ? t('messages.commission') : m.kind === 'directorate' ? t('messages.directorate') : (m.name ?? '');
}

function senderName(t: (k: string) => string, s: Schemas['Sender']): string {
  return s.kind === 'commission' ? t('messages.commission') : s.kind === 'directorate' ? t('messages.directorate') : (s.name ?? '');
}

function MessageView({ mailbox, id, onClose }: { mailbox: string; id: string; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const message = useMessage(mailbox, id);
  const unread = useMarkUnread(mailbox, id, { onSuccess: onClose });
  const fetchFile = useDownload();
  const m = message.data;
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="md">
      <DialogTitle>{m?.subject ?? ''}</DialogTitle>
      <DialogContent>
        <FormAlert message={(message.error ?? unread.error ?? fetchFile.error)?.message ?? null} />
        {m && (
          <>
            <Typography variant="body2" color="text.secondary" gutterBottom>
              {`${t('messages.from')}: ${senderName(t, m.sender)} · ${formatDateTime(m.created_at, lang)}`}
            </Typography>
            <div data-testid="message-body">
              {m.body.split(/\n+/).map((p, i) => (
                <Typography key={i} component="p" sx={{ mb: 2 }}>
                  {p}
                </Typography>
              ))}
            </div>
            {m.attachments.length > 0 && (
              <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap' }}>
                {m.attachments.map((f) => (
                  <Chip key={f.id} icon={<AttachFileIcon />} label={f.name ?? f.id} onClick={() => fetchFile.mutate(f)} />
                ))}
              </Stack>
            )}
          </>
        )}
      </DialogContent>
      <DialogActions>
        {m?.read === true && (
          <Button disabled={unread.isPending} onClick={() => unread.mutate()}>
            {t('messages.markUnread')}
          </Button>
        )}
        <Button variant="contained" onClick={onClose}>
          {t('messages.close')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/** Writes from the commission's or an association's mailbox (AS-07). */
function Compose({ from, onClose }: { from: Mailbox; onClose: () => void }) {
  const { t } = useTranslation();
  const commission = from.kind === 'commission';
  const directorate = from.kind === 'directorate';
  const [to, setTo] = useState(commission ? 'associations' : directorate ? 'officers' : 'members');
  const [officer, setOfficer] = useState('');
  const [province, setProvince] = useState('');
  const [qualifiedOnly, setQualifiedOnly] = useState(false);
  const provinces = useProvinces(directorate);
  const [chosen, setChosen] = useState<Schemas['AssociationDto'][]>([]);
  const [field, setField] = useState('');
  const [degree, setDegree] = useState('');
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [files, setFiles] = useState<Schemas['FileInfo'][]>([]);
  const [uploading, setUploading] = useState(false);
  const associations = useAssociationList(commission);
  const send = useSendMessage(from.mailbox, { onSuccess: onClose });
  const letter = (): Schemas['SendMessage'] => ({
    from: from.mailbox,
    to,
    association_ids: chosen.map((a) => a.id),
    field: to === 'members' && field.trim() ? field : null,
    degree_level: to === 'members' && degree ? degree : null,
    officer_national_code: directorate && officer.trim() ? toAsciiDigits(officer) : null,
    province_id: directorate && province ? province : null,
    qualified_only: directorate && qualifiedOnly,
    subject,
    body,
    attachment_ids: files.map((f) => f.id),
  });
  const fieldError = (f: string) => (send.error instanceof ApiProblem ? send.error.fields[f]?.join(' ') : undefined);
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="md">
      <DialogTitle>{t('messages.compose')}</DialogTitle>
      <DialogContent>
        <FormAlert message={send.error ? [send.error.message, fieldError('to'), fieldError('attachment_ids')].filter(Boolean).join(' ') : null} />
        <Stack spacing={2} sx={{ mt: 1 }}>
          {directorate ? (
            <Stack spacing={1}>
              <Typography color="text.secondary">{t('messages.toOfficers')}</Typography>
              <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
                <TextField id="message-officer" label={t('messages.oneOfficer')} value={officer} onChange={(e) => setOfficer(e.target.value)} error={Boolean(fieldError('officer_national_code'))} helperText={fieldError('officer_national_code')} fullWidth slotProps={{ htmlInput: { dir: 'ltr', inputMode: 'numeric' } }} />
                <TextField id="message-province" select label={t('officers.province')} value={province} onChange={(e) => setProvince(e.target.value)} fullWidth>
                  <MenuItem value="">{t('admin.all')}</MenuItem>
                  {provinces.data?.items.map((p) => (
                    <MenuItem key={p.id} value={p.id}>
                      {p.name_fa}
                    </MenuItem>
                  ))}
                </TextField>
              </Stack>
              <FormControlLabel control={<Checkbox checked={qualifiedOnly} onChange={(e) => setQualifiedOnly(e.target.checked)} />} label={t('messages.qualifiedOnly')} />
            </Stack>
          ) : commission ? (
            <Autocomplete
              multiple
              id="message-associations"
              options={associations.data?.items ?? []}
              getOptionLabel={(a) => a.name}
              value={chosen}
              onChange={(_, v) => setChosen(v)}
              renderInput={(params) => <TextField {...params} label={t('messages.toAssociations')} helperText={chosen.length === 0 ? t('messages.allAssociations') : fieldError('association_ids')} />}
            />
          ) : (
            <TextField id="message-to" select label={t('messages.to')} value={to} onChange={(e) => setTo(e.target.value)}>
              <MenuItem value="members">{t('messages.toMembers')}</MenuItem>
              <MenuItem value="commission">{t('messages.commission')}</MenuItem>
            </TextField>
          )}
          {to === 'members' && (
            <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
              <TextField id="message-field" label={t('messages.onlyField')} value={field} onChange={(e) => setField(e.target.value)} fullWidth />
              <TextField id="message-degree" select label={t('messages.onlyDegree')} value={degree} onChange={(e) => setDegree(e.target.value)} sx={{ minWidth: 200 }}>
                <MenuItem value="">{t('admin.all')}</MenuItem>
                {DEGREES.map((d) => (
                  <MenuItem key={d} value={d}>
                    {t(`associations.degrees.${d}`)}
                  </MenuItem>
                ))}
              </TextField>
            </Stack>
          )}
          <TextField id="message-subject" label={t('messages.subject')} value={subject} onChange={(e) => setSubject(e.target.value)} error={Boolean(fieldError('subject'))} helperText={fieldError('subject')} fullWidth />
          <TextField id="message-body" label={t('messages.body')} value={body} onChange={(e) => setBody(e.target.value)} error={Boolean(fieldError('body'))} helperText={fieldError('body')} fullWidth multiline minRows={6} />
          <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap', alignItems: 'center' }}>
            <FileButton purpose="attachment" accept="application/pdf,image/png,image/jpeg,image/webp" label={t('messages.attach')} startIcon={<AttachFileIcon />} testId="attachment-input" disabled={files.length >= 10} onUploaded={(info) => setFiles((f) => [...f, info])} onBusy={setUploading} />
            {files.map((f) => (
              <Chip key={f.id} label={f.name ?? f.id} onDelete={() => setFiles(files.filter((x) => x.id !== f.id))} />
            ))}
          </Stack>
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{t('admin.cancel')}</Button>
        <Button variant="contained" disabled={send.isPending || uploading} onClick={() => send.mutate(letter())}>
          {t('messages.send')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/** Inboxes and sent folders of the person's mailboxes: their own, the commission's, their associations'. */
export function MessagesPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const name = useMailboxName();
  const [selected, setSelected] = useState<string | null>(null);
  const [folder, setFolder] = useState<'inbox' | 'sent'>('inbox');
  const paging = usePaging();
  const { page, perPage, setPage } = paging;
  const [open, setOpen] = useState<string | null>(null);
  const [composing, setComposing] = useState(false);
  const mailboxes = useMailboxes();
  const boxes = mailboxes.data?.items ?? [];
  // Start in the first mailbox with unread messages, else one's own.
  const current = boxes.find((b) => b.mailbox === selected) ?? boxes.find((b) => b.unread > 0) ?? boxes[0];
  const mailbox = current?.mailbox ?? 'me';
  const messages = useMessagePage(mailbox, folder, page, perPage, Boolean(current));
  const n = (v: number) => (lang === 'fa' ? toPersianDigits(v) : String(v));
  const who = (m: Summary) =>
    folder === 'sent'
      ? m.audience.to === 'commission'
        ? t('messages.commission')
        : m.audience.to === 'members'
          ? `${t('messages.toMembers')} (${n(m.audience.recipient_count)})`
          : `${t('messages.toAssociationsShort')} (${n(m.audience.recipient_count)})`
      : senderName(t, m.sender);
  return (
    <Stack spacing={2}>
      <Stack direction="row" sx={{ justifyContent: 'space-between', alignItems: 'center' }}>
        <Typography variant="h5" component="h1">
          {t('messages.title')}
        </Typography>
        {current && current.kind !== 'person' && (
          <Button variant="contained" onClick={() => setComposing(true)}>
            {t('messages.compose')}
          </Button>
        )}
      </Stack>
      <FormAlert message={(mailboxes.error ?? messages.error)?.message ?? null} />
      {boxes.length > 1 && (
        <Tabs
          value={mailbox}
          onChange={(_, v: string) => {
            setSelected(v);
            setFolder('inbox');
            setPage(0);
          }}
          variant="scrollable"
          aria-label={t('messages.mailboxes')}
        >
          {boxes.map((b) => (
            <Tab
              key={b.mailbox}
              value={b.mailbox}
              label={
                <Badge color="primary" badgeContent={b.unread > 0 ? n(b.unread) : undefined} sx={{ px: 1.5 }}>
                  {name(b)}
                </Badge>
              }
            />
          ))}
        </Tabs>
      )}
      {current && current.kind !== 'person' && (
        <ToggleButtonGroup
          exclusive
          size="small"
          value={folder}
          onChange={(_, v: 'inbox' | 'sent' | null) => {
            if (v) {
              setFolder(v);
              setPage(0);
            }
          }}
          aria-label={t('messages.folder')}
        >
          <ToggleButton value="inbox">{t('messages.inbox')}</ToggleButton>
          <ToggleButton value="sent">{t('messages.sent')}</ToggleButton>
        </ToggleButtonGroup>
      )}
      <Paper variant="outlined">
        <DataTable
          label={t('messages.title')}
          testId="message-rows"
          rows={messages.data?.items}
          rowKey={(m) => m.id}
          rowProps={(m) => ({ hover: true, onClick: () => setOpen(m.id), sx: { cursor: 'pointer' }, 'data-unread': m.read === false ? 'true' : 'false' })}
          empty={t('messages.empty')}
          paging={{ ...paging, total: messages.data?.total ?? 0 }}
          columns={[
            {
              header: t('messages.subject'),
              cell: (m) => (
                <Box component="span" sx={{ fontWeight: m.read === false ? 700 : 400 }}>
                  <Button variant="text" size="small" onClick={() => setOpen(m.id)} sx={{ fontWeight: 'inherit', textAlign: 'start' }}>
                    {m.subject}
                  </Button>
                  {m.read === false && <Chip size="small" color="primary" label={t('messages.unread')} sx={{ mx: 1 }} />}
                  {m.attachment_count > 0 && <AttachFileIcon fontSize="small" titleAccess={t('messages.hasAttachments')} sx={{ verticalAlign: 'middle' }} />}
                </Box>
              ),
            },
            { header: folder === 'sent' ? t('messages.to') : t('messages.from'), cell: (m) => who(m) },
            { header: t('messages.date'), sx: { whiteSpace: 'nowrap' }, cell: (m) => formatDateTime(m.created_at, lang) },
          ]}
        />
      </Paper>
      {open && <MessageView mailbox={mailbox} id={open} onClose={() => setOpen(null)} />}
      {composing && current && <Compose from={current} onClose={() => setComposing(false)} />}
    </Stack>
  );
}
