import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemText from '@mui/material/ListItemText';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Schemas } from '../../api/client';
import { CityField } from '../../components/CityField';
import { useProvinces } from '../../api/reference';
import { useAuth } from '../../app/auth';
import { FormAlert, problemText } from '../../components/forms';
import type { Lang } from '../../i18n';
import { formatDateTime } from '../../lib/dates';
import { toAsciiDigits } from '../../lib/digits';
import { ImportDialog } from '../../components/ImportDialog';
import { toPersianDigits } from '../../lib/digits';
import { distributorKeys, useAddBranch, useCreateDistributor, useDistributor, useDistributors, useNameOfficer } from './api';

/** Province and city of a branch, and its address. */
function PlaceFields({ v, set, prefix }: { v: { province_id: string; city_id: string; address: string }; set: (k: 'province_id' | 'city_id' | 'address', value: string) => void; prefix: string }) {
  const { t } = useTranslation();
  const places = useProvinces();
  return (
    <>
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
        <TextField id={`${prefix}-province`} select label={t('officers.province')} value={v.province_id} onChange={(e) => { set('province_id', e.target.value); set('city_id', ''); }} fullWidth>
          {places.data?.items.map((p) => (
            <MenuItem key={p.id} value={p.id}>
              {p.name_fa}
            </MenuItem>
          ))}
        </TextField>
        <CityField id={`${prefix}-city`} province={v.province_id} value={v.city_id} onChange={(c) => set('city_id', c)} />
      </Stack>
      <TextField id={`${prefix}-address`} label={t('officers.address')} value={v.address} onChange={(e) => set('address', e.target.value)} fullWidth />
    </>
  );
}

/** The directorate registers a distributor with its manager and central branch (DI-01). */
function CreateDistributor() {
  const { t } = useTranslation();
  const [v, setV] = useState({ name: '', kind: 'company', manager: '', branch: '', province_id: '', city_id: '', address: '' });
  const create = useCreateDistributor({ onSuccess: () => setV({ name: '', kind: 'company', manager: '', branch: '', province_id: '', city_id: '', address: '' }) });
  const body = (): Schemas['DistributorBody'] => ({
    name: v.name,
    kind: v.kind,
    manager_national_code: toAsciiDigits(v.manager),
    central: { name: v.branch || t('distributors.central'), province_id: v.province_id, city_id: v.city_id, address: v.address },
  });
  return (
    <Paper variant="outlined" sx={{ p: 2 }}>
      <Typography variant="h6" component="h2" gutterBottom>
        {t('distributors.create')}
      </Typography>
      <FormAlert message={problemText(create.error)} />
      <Stack spacing={2}>
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
          <TextField id="distributor-name" label={t('distributors.name')} value={v.name} onChange={(e) => setV({ ...v, name: e.target.value })} fullWidth />
          <TextField id="distributor-kind" select label={t('distributors.kind')} value={v.kind} onChange={(e) => setV({ ...v, kind: e.target.value })} sx={{ minWidth: 160 }}>
            <MenuItem value="company">{t('distributors.kinds.company')}</MenuItem>
            <MenuItem value="guild">{t('distributors.kinds.guild')}</MenuItem>
          </TextField>
        </Stack>
        <TextField id="distributor-manager" label={t('distributors.managerCode')} value={v.manager} onChange={(e) => setV({ ...v, manager: e.target.value })} slotProps={{ htmlInput: { dir: 'ltr', inputMode: 'numeric' } }} />
        <PlaceFields v={v} set={(k, value) => setV((x) => ({ ...x, [k]: value }))} prefix="central" />
        <Button variant="contained" disabled={create.isPending} onClick={() => create.mutate(body())} sx={{ alignSelf: 'flex-start' }}>
          {t('distributors.createButton')}
        </Button>
      </Stack>
    </Paper>
  );
}

function NameOfficer({ branch }: { branch: string }) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const name = useNameOfficer(branch, { onSuccess: () => setCode('') });
  return (
    <Stack spacing={1} sx={{ mt: 1 }}>
      <FormAlert message={problemText(name.error)} />
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1}>
        <TextField id={`officer-code-${branch}`} size="small" label={t('distributors.officerCode')} value={code} onChange={(e) => setCode(e.target.value)} slotProps={{ htmlInput: { dir: 'ltr', inputMode: 'numeric' } }} />
        <Button variant="outlined" disabled={name.isPending || !code} onClick={() => name.mutate({ national_code: toAsciiDigits(code) })}>
          {t('distributors.nameOfficer')}
        </Button>
      </Stack>
    </Stack>
  );
}

function AddBranch({ distributor }: { distributor: string }) {
  const { t } = useTranslation();
  const [v, setV] = useState({ name: '', province_id: '', city_id: '', address: '', officer: '' });
  const add = useAddBranch(distributor, { onSuccess: () => setV({ name: '', province_id: '', city_id: '', address: '', officer: '' }) });
  return (
    <Paper variant="outlined" sx={{ p: 2 }}>
      <Typography variant="h6" component="h2" gutterBottom>
        {t('distributors.addBranch')}
      </Typography>
      <FormAlert message={problemText(add.error)} />
      <Stack spacing={2}>
        <TextField id="branch-name" label={t('distributors.branchName')} value={v.name} onChange={(e) => setV({ ...v, name: e.target.value })} fullWidth />
        <PlaceFields v={v} set={(k, value) => setV((x) => ({ ...x, [k]: value }))} prefix="branch" />
        <TextField id="branch-officer" label={t('distributors.officerCodeOptional')} value={v.officer} onChange={(e) => setV({ ...v, officer: e.target.value })} slotProps={{ htmlInput: { dir: 'ltr', inputMode: 'numeric' } }} />
        <Button variant="contained" disabled={add.isPending} onClick={() => add.mutate({ name: v.name, province_id: v.province_id, city_id: v.city_id, address: v.address, officer_national_code: toAsciiDigits(v.officer) || null })} sx={{ alignSelf: 'flex-start' }}>
          {t('distributors.addBranch')}
        </Button>
      </Stack>
    </Paper>
  );
}

function DistributorView({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const d = useDistributor(id);
  if (d.error) return <FormAlert message={d.error.message} />;
  if (!d.data) return null;
  const x = d.data;
  const pending = new Set(x.cooperations.filter((c) => c.status === 'awaiting_officer' || c.status === 'awaiting_university').map((c) => c.branch.id));
  return (
    <Stack spacing={2}>
      <Paper variant="outlined" sx={{ p: 2 }}>
        <Typography variant="h6" component="h2">{`${x.name} (${t(`distributors.kinds.${x.kind}`)})`}</Typography>
        <Typography color="text.secondary">{`${t('distributors.manager')}: ${x.manager.name}`}</Typography>
        <List data-testid="branches">
          {x.branches.map((b) => (
            <ListItem key={b.id} disableGutters sx={{ display: 'block' }}>
              <ListItemText
                primary={`${b.name}${b.is_central ? ` (${t('distributors.central')})` : ''}`}
                secondary={`${b.address} · ${t('distributors.officer')}: ${b.officer ? `${b.officer.name}` : pending.has(b.id) ? t('distributors.pending') : t('distributors.none')}`}
              />
              {!b.officer && !pending.has(b.id) && <NameOfficer branch={b.id} />}
            </ListItem>
          ))}
        </List>
      </Paper>
      <AddBranch distributor={id} />
      <Paper variant="outlined" sx={{ p: 2 }}>
        <Typography variant="h6" component="h2">
          {t('distributors.archive')}
        </Typography>
        <List dense data-testid="cooperation-archive">
          {x.cooperations.map((c) => (
            <ListItem key={c.id} disableGutters>
              <ListItemText primary={`${c.officer.name} — ${c.branch.name}`} secondary={`${t(`cooperation.statuses.${c.status}`)} · ${formatDateTime(c.updated_at, lang)}${c.reason ? ` · ${c.reason}` : ''}`} />
            </ListItem>
          ))}
        </List>
      </Paper>
    </Stack>
  );
}

/** Distributors: the manager's branches, officers and archive; the directorate registers them. */
export function DistributorPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const list = useDistributors();
  const directorate = Boolean(me?.grants.some((g) => g.role === 'directorate_admin'));
  const [chosen, setChosen] = useState<string | null>(null);
  const [importing, setImporting] = useState(false);
  const { i18n } = useTranslation();
  const queryClient = useQueryClient();
  const n = (v: number) => (i18n.language === 'fa' ? toPersianDigits(v) : String(v));
  const id = chosen ?? (list.data?.items.length === 1 ? list.data.items[0].id : null);
  return (
    <Stack spacing={2}>
      <Typography variant="h5" component="h1">
        {t('distributors.title')}
      </Typography>
      <FormAlert message={list.error ? list.error.message : null} />
      {directorate && <CreateDistributor />}
      {directorate && (
        <Paper variant="outlined" sx={{ p: 2 }}>
          <Typography variant="h6" component="h2" gutterBottom>
            {t('officerImport.title')}
          </Typography>
          <Typography color="text.secondary" sx={{ mb: 1 }}>
            {t('officerImport.intro')}
          </Typography>
          <Button variant="outlined" onClick={() => setImporting(true)}>
            {t('officerImport.open')}
          </Button>
        </Paper>
      )}
      {importing && (
        <ImportDialog<Schemas['OfficerImportReport']>
          path="/api/v1/officers/import"
          title={t('officerImport.title')}
          intro={t('officerImport.intro')}
          template={null}
          summary={(r, dry) =>
            dry
              ? t('officerImport.checked', { rows: n(r.rows) })
              : t('officerImport.done', { rows: n(r.imported), accounts: n(r.new_accounts), distributors: n(r.new_distributors) })
          }
          onClose={() => setImporting(false)}
          onImported={() => void queryClient.invalidateQueries({ queryKey: distributorKeys.list })}
        />
      )}
      {list.data && list.data.items.length > 1 && (
        <TextField id="distributor-pick" select label={t('distributors.pick')} value={id ?? ''} onChange={(e) => setChosen(e.target.value)}>
          {list.data.items.map((d) => (
            <MenuItem key={d.id} value={d.id}>
              {d.name}
            </MenuItem>
          ))}
        </TextField>
      )}
      {list.data?.items.length === 0 && <Alert severity="info">{t('distributors.noneYet')}</Alert>}
      {id && <DistributorView id={id} key={id} />}
    </Stack>
  );
}
