import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import LinearProgress from '@mui/material/LinearProgress';
import Link from '@mui/material/Link';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiProblem, type Schemas } from '../api/client';
import { DataTable } from './DataTable';
import { toPersianDigits } from '../lib/digits';
import { rejectedRows } from '../lib/importReport';
import { sendWithProgress } from '../lib/upload';

type Report = { rows: number; imported: number };

type Phase<R> =
  | { kind: 'idle' }
  | { kind: 'sending'; dryRun: boolean; sent: number }
  | { kind: 'checked'; report: R }
  | { kind: 'done'; report: R }
  | { kind: 'failed'; problem: ApiProblem };

/**
 * Imports a CSV — an association's members (AS-04) by default, or whatever `path` takes: the file
 * is checked first (nothing changes), every rejected row is listed with why; only a clean file
 * can be imported, and all of it at once.
 */
export function ImportDialog<R extends Report = Schemas['ImportReport']>({
  id,
  onClose,
  onImported,
  path,
  title,
  intro,
  template = '/api/v1/members-import-template.csv',
  summary,
}: {
  id?: string;
  onClose: () => void;
  onImported: () => void;
  /** The import endpoint, without `?dry_run`; by default the association's member import. */
  path?: string;
  title?: string;
  intro?: string;
  template?: string | null;
  /** The line shown after the check (`dryRun`) or the import. */
  summary?: (report: R, dryRun: boolean) => string;
}) {
  const { t, i18n } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [phase, setPhase] = useState<Phase<R>>({ kind: 'idle' });
  const endpoint = path ?? `/api/v1/associations/${encodeURIComponent(id ?? '')}/members/import`;
  const describe =
    summary ??
    ((report: R, dryRun: boolean) => {
      const r = report as unknown as Schemas['ImportReport'];
      return dryRun ? t('import.checked', { rows: n(r.rows), fresh: n(r.new_people) }) : t('import.done', { rows: n(r.imported), fresh: n(r.new_people) });
    });
  const n = (v: number) => (i18n.language === 'fa' ? toPersianDigits(v) : String(v));
  const send = async (chosen: File, dryRun: boolean) => {
    setPhase({ kind: 'sending', dryRun, sent: 0 });
    try {
      const report = await sendWithProgress<R>('POST', `${endpoint}?dry_run=${dryRun}`, chosen, 'text/csv', (sent) =>
        setPhase({ kind: 'sending', dryRun, sent }),
      );
      setPhase(dryRun ? { kind: 'checked', report } : { kind: 'done', report });
      if (!dryRun) onImported();
    } catch (e) {
      setPhase({ kind: 'failed', problem: e instanceof ApiProblem ? e : new ApiProblem(0, undefined, String(e)) });
    }
  };
  const busy = phase.kind === 'sending';
  return (
    <Dialog open onClose={busy ? undefined : onClose} fullWidth maxWidth="md">
      <DialogTitle>{title ?? t('import.title')}</DialogTitle>
      <DialogContent>
        <Stack spacing={2}>
          <Typography>{intro ?? t('import.intro')}</Typography>
          {template && (
            <Link href={template} download>
              {t('import.template')}
            </Link>
          )}
          <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}>
            <Button variant="outlined" component="label" disabled={busy}>
              {t('import.choose')}
              <input
                hidden
                type="file"
                accept=".csv,text/csv"
                data-testid="import-input"
                onChange={(e) => {
                  const chosen = e.target.files?.[0] ?? null;
                  e.target.value = '';
                  setFile(chosen);
                  if (chosen) void send(chosen, true);
                }}
              />
            </Button>
            <Typography dir="auto">{file?.name ?? ''}</Typography>
          </Stack>
          {phase.kind === 'sending' && (
            <Stack spacing={1} data-testid="import-progress">
              <Typography>{phase.sent < 1 ? t('import.uploading', { percent: n(Math.round(phase.sent * 100)) }) : phase.dryRun ? t('import.checking') : t('import.writing')}</Typography>
              {phase.sent < 1 ? <LinearProgress variant="determinate" value={phase.sent * 100} aria-label={t('import.title')} /> : <LinearProgress aria-label={t('import.title')} />}
            </Stack>
          )}
          {phase.kind === 'checked' && (
            <Alert severity="info" role="status">
              {describe(phase.report, true)}
            </Alert>
          )}
          {phase.kind === 'done' && (
            <Alert severity="success" role="status">
              {describe(phase.report, false)}
            </Alert>
          )}
          {phase.kind === 'failed' && (
            <>
              <Alert severity="error" role="alert">
                {phase.problem.message}
              </Alert>
              {phase.problem.code === 'import_rejected' && (
                <DataTable
                  label={t('import.rejectedRows')}
                  testId="import-rejected"
                  maxHeight={320}
                  rows={rejectedRows(phase.problem.fields)}
                  rowKey={(r) => r.line}
                  columns={[
                    { header: t('import.line'), cell: (r) => n(r.line) },
                    { header: t('import.problem'), cell: (r) => r.problems.join(' ') },
                  ]}
                />
              )}
            </>
          )}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={busy}>
          {phase.kind === 'done' ? t('messages.close') : t('admin.cancel')}
        </Button>
        {phase.kind === 'checked' && file && (
          <Button variant="contained" onClick={() => void send(file, false)}>
            {t('import.confirm', { rows: n(phase.report.rows) })}
          </Button>
        )}
      </DialogActions>
    </Dialog>
  );
}
