import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiProblem, type Schemas } from '../../api/client';
import { useAssociationList, useProvinces } from '../../api/reference';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { FormAlert } from '../../components/forms';
import { DataTable, usePaging } from '../../components/DataTable';
import type { Lang } from '../../i18n';
import { formatDateTime } from '../../lib/dates';
import { toPersianDigits } from '../../lib/digits';
import { useDistributors } from '../distributors';
import { useGrantable, useGrantRole, useRevokeGrant, useRoleGrants } from './api';

type Role = Schemas['Role'];
type ScopeKind = Schemas['ScopeKind'];

/** The scopes of each kind a grant may name, with their names, as [id, name]. */
function useScopes(kinds: ScopeKind[], lang: Lang) {
  const associations = useAssociationList(kinds.includes('association'));
  const provinces = useProvinces(kinds.includes('province'));
  const distributors = useDistributors(kinds.includes('distributor'));
  return (kind: ScopeKind): [string, string][] => {
    if (kind === 'association') return (associations.data?.items ?? []).map((a) => [a.id, a.name]);
    if (kind === 'province') return (provinces.data?.items ?? []).map((p) => [p.id, lang === 'fa' ? p.name_fa : p.name_en]);
    return (distributors.data?.items ?? []).map((d) => [d.id, d.name]);
  };
}

/**
 * Who holds which role among those the signed-in authority grants (commission, directorate, a
 * province's engineering organisation), with search, granting and revoking.
 */
export function RolesPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const [role, setRole] = useState<Role | ''>('');
  const [q, setQ] = useState('');
  const paging = usePaging();
  const { page, perPage, setPage } = paging;
  const [granting, setGranting] = useState(false);
  const [revoking, setRevoking] = useState<Schemas['RoleGrantDto'] | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const grantable = useGrantable();
  const grants = useRoleGrants(role, q, page, perPage);
  const revoke = useRevokeGrant({
    onSuccess: () => setNotice(t('accounts.revoked')),
    onSettled: () => setRevoking(null),
  });
  const roles = grantable.data?.items ?? [];
  // Provinces in the page's language (the API names them in Persian).
  const scopes = useScopes(['province'], lang);
  const scopeName = (g: Schemas['RoleGrantDto']) =>
    (g.scope_type === 'province' ? scopes('province').find(([id]) => id === g.scope_id)?.[1] : undefined) ?? g.scope_name ?? g.scope_id ?? '—';
  const n = (v: string) => (lang === 'fa' ? toPersianDigits(v) : v);

  return (
    <Stack spacing={2}>
      <Stack direction="row" sx={{ justifyContent: 'space-between', alignItems: 'center', flexWrap: 'wrap', gap: 1 }}>
        <Typography variant="h5" component="h1">
          {t('accounts.rolesTitle')}
        </Typography>
        <Button variant="contained" onClick={() => { setNotice(null); setGranting(true); }} disabled={roles.length === 0}>
          {t('accounts.grant')}
        </Button>
      </Stack>
      <FormAlert message={notice} severity="success" />
      <FormAlert message={revoke.error ? revoke.error.message : grants.error ? grants.error.message : null} />
      <Paper variant="outlined" sx={{ p: 2 }}>
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
          <TextField id="grants-role" select label={t('accounts.role')} value={role} onChange={(e) => { setRole(e.target.value as Role | ''); setPage(0); }} sx={{ minWidth: 220 }}>
            <MenuItem value="">{t('admin.all')}</MenuItem>
            {roles.map((r) => (
              <MenuItem key={r.role} value={r.role}>
                {t(`roles.${r.role}`)}
              </MenuItem>
            ))}
          </TextField>
          <TextField id="grants-search" label={t('accounts.search')} value={q} onChange={(e) => { setQ(e.target.value); setPage(0); }} sx={{ flex: 1 }} />
        </Stack>
      </Paper>
      <Paper variant="outlined">
        <DataTable
          label={t('accounts.rolesTitle')}
          testId="grant-rows"
          rows={grants.data?.items}
          rowKey={(g) => g.id}
          paging={{ ...paging, total: grants.data?.total ?? 0 }}
          columns={[
            { header: t('accounts.person'), cell: (g) => `${g.first_name} ${g.last_name}` },
            { header: t('accounts.nationalCode'), dir: 'ltr', cell: (g) => n(g.national_code) },
            { header: t('accounts.role'), cell: (g) => t(`roles.${g.role}`) },
            { header: t('accounts.scope'), cell: (g) => scopeName(g) },
            { header: t('accounts.grantedAt'), sx: { whiteSpace: 'nowrap' }, cell: (g) => formatDateTime(g.granted_at, lang) },
            {
              header: '',
              cell: (g) => (
                <Button size="small" color="error" onClick={() => { setNotice(null); setRevoking(g); }}>
                  {t('accounts.revoke')}
                </Button>
              ),
            },
          ]}
        />
      </Paper>
      {granting && (
        <GrantDialog
          roles={roles}
          onClose={() => setGranting(false)}
          onGranted={() => {
            setGranting(false);
            setNotice(t('accounts.granted'));
          }}
        />
      )}
      {revoking && (
        <ConfirmDialog
          title={t('accounts.revoke')}
          text={t('accounts.revokeConfirm', {
            role: t(`roles.${revoking.role}`),
            name: `${revoking.first_name} ${revoking.last_name}`,
            scope: revoking.scope_id ? scopeName(revoking) : '',
          })}
          confirm={t('accounts.revoke')}
          busy={revoke.isPending}
          onConfirm={() => revoke.mutate(revoking.id)}
          onCancel={() => setRevoking(null)}
        />
      )}
    </Stack>
  );
}

function GrantDialog({ roles, onClose, onGranted }: { roles: Schemas['GrantableRole'][]; onClose: () => void; onGranted: () => void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const [role, setRole] = useState<Role | ''>(roles.length === 1 ? roles[0].role : '');
  const [scope, setScope] = useState(roles.length === 1 && roles[0].scope_ids?.length === 1 ? roles[0].scope_ids[0] : '');
  const [code, setCode] = useState('');
  const chosen = roles.find((r) => r.role === role);
  const kinds = roles.flatMap((r) => (r.scope_kind ? [r.scope_kind] : []));
  const scopes = useScopes(kinds, lang);
  const options = chosen?.scope_kind ? scopes(chosen.scope_kind).filter(([id]) => !chosen.scope_ids || chosen.scope_ids.includes(id)) : [];
  const save = useGrantRole({ onSuccess: onGranted });
  const grant = () => save.mutate({ national_code: code.trim(), role: role as Role, scope_id: chosen?.scope_kind ? scope : null });
  const fieldError = (name: string) => (save.error instanceof ApiProblem ? save.error.fields[name]?.join(' ') : undefined);
  const anyField = ['national_code', 'role', 'scope_id'].some((f) => fieldError(f));
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="sm">
      <DialogTitle>{t('accounts.grant')}</DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ pt: 1 }}>
          <FormAlert message={save.error && !anyField ? save.error.message : null} />
          <TextField id="grant-code" label={t('accounts.nationalCode')} value={code} onChange={(e) => setCode(e.target.value)} slotProps={{ htmlInput: { dir: 'ltr', inputMode: 'numeric' } }} error={Boolean(fieldError('national_code'))} helperText={fieldError('national_code')} required />
          <TextField id="grant-role" select label={t('accounts.role')} value={role} onChange={(e) => { setRole(e.target.value as Role); setScope(''); }} error={Boolean(fieldError('role'))} helperText={fieldError('role')} required>
            {roles.map((r) => (
              <MenuItem key={r.role} value={r.role}>
                {t(`roles.${r.role}`)}
              </MenuItem>
            ))}
          </TextField>
          {chosen?.scope_kind && (
            <TextField id="grant-scope" select label={t(`accounts.scopeKinds.${chosen.scope_kind}`)} value={scope} onChange={(e) => setScope(e.target.value)} error={Boolean(fieldError('scope_id'))} helperText={fieldError('scope_id')} required>
              {options.map(([id, name]) => (
                <MenuItem key={id} value={id}>
                  {name}
                </MenuItem>
              ))}
            </TextField>
          )}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{t('admin.cancel')}</Button>
        <Button variant="contained" disabled={save.isPending || !role || !code.trim() || (Boolean(chosen?.scope_kind) && !scope)} onClick={grant}>
          {t('accounts.grant')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
