import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { DatePicker } from '@mui/x-date-pickers/DatePicker';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth';
import { FormAlert } from '../../components/forms';
import { DataTable, usePaging } from '../../components/DataTable';
import type { Lang } from '../../i18n';
import { formatDateTime } from '../../lib/dates';
import { toPersianDigits } from '../../lib/digits';
import { useAuditLog, useAuditVerification } from './api';

interface Filters {
  action: string;
  actor_id: string;
  object_id: string;
  from: Date | null;
  to: Date | null;
}

const EMPTY: Filters = { action: '', actor_id: '', object_id: '', from: null, to: null };

/** The picked day's start in Tehran, as UTC ISO (the picker gives local midnight). */
function dayStart(d: Date | null, plusDays = 0): string | undefined {
  if (!d || Number.isNaN(d.getTime())) return undefined;
  const utc = Date.UTC(d.getFullYear(), d.getMonth(), d.getDate() + plusDays) - 3.5 * 3600 * 1000;
  return new Date(utc).toISOString();
}

/**
 * The audit log: the commission reads all of it and checks the hash chain; an association's,
 * the directorate's or a province's organisation's admins read their own part (the server
 * decides which entries each may read).
 */
export function AuditLogPage() {
  const { t, i18n } = useTranslation();
  const { me } = useAuth();
  const commission = Boolean(me?.grants.some((g) => g.role === 'commission_admin'));
  const lang = i18n.language as Lang;
  const [draft, setDraft] = useState<Filters>(EMPTY);
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const paging = usePaging();
  const { page, perPage, setPage } = paging;
  const verdict = useAuditVerification(commission);
  const entries = useAuditLog({
    action: filters.action.trim() || undefined,
    actor_id: filters.actor_id.trim() || undefined,
    object_id: filters.object_id.trim() || undefined,
    from: dayStart(filters.from),
    to: dayStart(filters.to, 1),
    page: page + 1,
    per_page: perPage,
  });
  const apply = (e: FormEvent) => {
    e.preventDefault();
    setPage(0);
    setFilters(draft);
  };
  const n = (v: number) => (lang === 'fa' ? toPersianDigits(v) : String(v));

  return (
    <Stack spacing={2}>
      <Typography variant="h5" component="h1">
        {t('admin.auditTitle')}
      </Typography>
      {!commission && <Alert severity="info">{t('admin.auditScoped')}</Alert>}
      {verdict.data &&
        (verdict.data.intact ? (
          <Alert severity="success">{t('admin.intact', { count: n(verdict.data.entries) as unknown as number })}</Alert>
        ) : (
          <Alert severity="error">{t('admin.broken', { seq: n(verdict.data.broken_at ?? 0), reason: verdict.data.reason })}</Alert>
        ))}
      <Paper variant="outlined" component="form" onSubmit={apply} sx={{ p: 2 }}>
        <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr', md: 'repeat(3, 1fr)' } }}>
          <TextField id="filter-action" label={t('admin.action')} value={draft.action} onChange={(e) => setDraft({ ...draft, action: e.target.value })} slotProps={{ htmlInput: { dir: 'ltr' } }} />
          <TextField id="filter-actor" label={t('admin.actor')} value={draft.actor_id} onChange={(e) => setDraft({ ...draft, actor_id: e.target.value })} slotProps={{ htmlInput: { dir: 'ltr' } }} />
          <TextField id="filter-object" label={t('admin.object')} value={draft.object_id} onChange={(e) => setDraft({ ...draft, object_id: e.target.value })} slotProps={{ htmlInput: { dir: 'ltr' } }} />
          <DatePicker label={t('admin.from')} value={draft.from} onChange={(d) => setDraft({ ...draft, from: d })} slotProps={{ field: { clearable: true } }} />
          <DatePicker label={t('admin.to')} value={draft.to} onChange={(d) => setDraft({ ...draft, to: d })} slotProps={{ field: { clearable: true } }} />
          <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
            <Button type="submit" variant="contained">
              {t('admin.filter')}
            </Button>
            <Button
              onClick={() => {
                setDraft(EMPTY);
                setFilters(EMPTY);
                setPage(0);
              }}
            >
              {t('admin.clear')}
            </Button>
          </Stack>
        </Box>
      </Paper>
      <FormAlert message={entries.error ? entries.error.message : null} />
      <Paper variant="outlined">
        <DataTable
          label={t('admin.auditTitle')}
          testId="audit-rows"
          rows={entries.data?.items}
          rowKey={(e) => e.seq}
          paging={{ ...paging, total: entries.data?.total ?? 0 }}
          columns={[
            { header: '#', cell: (e) => n(e.seq) },
            { header: t('admin.time'), sx: { whiteSpace: 'nowrap' }, cell: (e) => formatDateTime(e.at, lang) },
            { header: t('admin.action'), dir: 'ltr', cell: (e) => e.action },
            { header: t('admin.actor'), dir: 'ltr', sx: { fontSize: 12 }, cell: (e) => e.actor_id ?? '—' },
            { header: t('admin.object'), dir: 'ltr', sx: { fontSize: 12 }, cell: (e) => `${e.object_type}${e.object_id ? `:${e.object_id}` : ''}` },
            { header: t('admin.ip'), dir: 'ltr', cell: (e) => e.ip ?? '—' },
            { header: t('admin.scope'), dir: 'ltr', sx: { fontSize: 12 }, cell: (e) => e.scope ?? '—' },
          ]}
        />
      </Paper>
    </Stack>
  );
}
