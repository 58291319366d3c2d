import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink, useParams } from 'react-router';
import { ApiProblem, type Schemas } from '../../api/client';
import { useAuth } from '../../app/auth';
import { FormAlert } from '../../components/forms';
import { toAsciiDigits, toPersianDigits } from '../../lib/digits';
import Avatar from '@mui/material/Avatar';
import { AssociationElections } from '../elections';
import { NewsSection } from '../news';
import { BoardSection } from './BoardSection';
import { DEGREES, ProfileEditor, QualificationsEditor } from './ProfileEditor';
import { useAddAssociationAdmin, useAssociation, useMyMemberships, useRequestMembership } from './api';

function RequestMembership({ id, qualifications }: { id: string; qualifications: Schemas['Qualification'][] }) {
  const { t } = useTranslation();
  const [field, setField] = useState(qualifications[0]?.field ?? '');
  const [degree, setDegree] = useState<string>(qualifications[0]?.degree_level ?? 'bachelor');
  const request = useRequestMembership(id);
  const fieldError = request.error instanceof ApiProblem ? request.error.fields.field?.join(' ') : undefined;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    request.mutate({ field, degree_level: degree });
  };
  return (
    <Paper variant="outlined" component="form" noValidate onSubmit={submit} sx={{ p: 2 }}>
      <Typography variant="h6" component="h2">
        {t('associations.request')}
      </Typography>
      <FormAlert message={request.error && !fieldError ? request.error.message : null} />
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ my: 2 }}>
        <TextField id="membership-field" label={t('associations.field')} value={field} onChange={(e) => setField(e.target.value)} error={Boolean(fieldError)} helperText={fieldError} fullWidth />
        <TextField id="membership-degree" select label={t('associations.degree')} value={degree} onChange={(e) => setDegree(e.target.value)} sx={{ minWidth: 200 }}>
          {DEGREES.map((d) => (
            <MenuItem key={d} value={d}>
              {t(`associations.degrees.${d}`)}
            </MenuItem>
          ))}
        </TextField>
      </Stack>
      <Button type="submit" variant="contained" disabled={request.isPending}>
        {t('associations.request')}
      </Button>
    </Paper>
  );
}

function AddAdmin({ id }: { id: string }) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const add = useAddAssociationAdmin(id, { onSuccess: () => setCode('') });
  return (
    <Stack
      component="form"
      direction="row"
      spacing={1}
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        add.mutate(toAsciiDigits(code));
      }}
    >
      <TextField id="admin-national-code" size="small" label={t('associations.addAdmin')} value={code} onChange={(e) => setCode(e.target.value)} slotProps={{ htmlInput: { dir: 'ltr', inputMode: 'numeric' } }} sx={{ flex: 1 }} error={Boolean(add.error)} helperText={add.error?.message ?? (add.isSuccess ? t('associations.adminAdded') : undefined)} />
      <Button type="submit" disabled={add.isPending}>
        {t('associations.add')}
      </Button>
    </Stack>
  );
}

export function AssociationPage() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const { me, status } = useAuth();
  const association = useAssociation(id);
  const mine = useMyMemberships(status === 'signed-in');
  const a = association.data;
  const membership = mine.data?.items.find((m) => m.association_id === id);
  const commission = Boolean(me?.grants.some((g) => g.role === 'commission_admin'));
  const manager = commission || Boolean(me?.grants.some((g) => g.role === 'association_admin' && g.scope_id === id));
  const n = (v: number) => (i18n.language === 'fa' ? toPersianDigits(v) : String(v));
  const [editing, setEditing] = useState<'profile' | 'qualifications' | null>(null);
  if (association.error) return <FormAlert message={association.error.message} />;
  if (!a) return null;
  return (
    <Stack spacing={2}>
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}>
        {a.logo_url && <Avatar src={a.logo_url} alt={t('associations.logo')} variant="rounded" sx={{ width: 56, height: 56 }} />}
        <Typography variant="h5" component="h1">
          {a.name}
        </Typography>
      </Stack>
      <Paper variant="outlined" sx={{ p: 2 }}>
        <dl className="facts">
          <dt>{t('associations.members')}</dt>
          <dd data-testid="member-count">{n(a.member_count)}</dd>
          {a.phone && (
            <>
              <dt>{t('associations.phone')}</dt>
              <dd dir="ltr">{a.phone}</dd>
            </>
          )}
          {a.email && (
            <>
              <dt>{t('associations.email')}</dt>
              <dd dir="ltr">{a.email}</dd>
            </>
          )}
          {a.website && (
            <>
              <dt>{t('associations.website')}</dt>
              <dd dir="ltr">
                <a href={a.website} rel="noopener noreferrer" target="_blank">
                  {a.website}
                </a>
              </dd>
            </>
          )}
        </dl>
        <Typography variant="subtitle1" component="h2" sx={{ mt: 2 }}>
          {t('associations.qualifications')}
        </Typography>
        {editing === 'qualifications' ? (
          <QualificationsEditor association={a} onDone={() => setEditing(null)} />
        ) : a.qualifications.length === 0 ? (
          <Typography color="text.secondary">{t('associations.noQualifications')}</Typography>
        ) : (
          <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap', mt: 1 }}>
            {a.qualifications.map((q) => (
              <Chip key={`${q.field}-${q.degree_level}`} label={`${q.field} — ${t(`associations.degrees.${q.degree_level}`)}`} />
            ))}
          </Stack>
        )}
        {manager && (
          <Stack spacing={2} sx={{ mt: 2 }}>
            <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap' }}>
              <Button variant="outlined" component={RouterLink} to={`/associations/${id}/members`}>
                {t('associations.manage')}
              </Button>
              <Button variant="outlined" onClick={() => setEditing('profile')}>
                {t('associations.editProfile')}
              </Button>
              <Button variant="outlined" onClick={() => setEditing('qualifications')} disabled={editing === 'qualifications'}>
                {t('associations.editQualifications')}
              </Button>
            </Stack>
            {commission && <AddAdmin id={id} />}
          </Stack>
        )}
      </Paper>
      <BoardSection id={id} manager={manager} />
      <AssociationElections associationId={id} manager={manager} />
      <NewsSection id={id} manager={manager} />
      {editing === 'profile' && <ProfileEditor association={a} open onClose={() => setEditing(null)} />}
      {status === 'signed-in' &&
        (membership && membership.status !== 'rejected' ? (
          <Alert severity={membership.status === 'approved' ? 'success' : 'info'} data-testid="membership-status">
            {t('associations.yourStatus', { status: t(`associations.statuses.${membership.status}`) })}
          </Alert>
        ) : (
          <>
            {membership?.reason && <Alert severity="warning">{membership.reason}</Alert>}
            <RequestMembership id={id} qualifications={a.qualifications} />
          </>
        ))}
    </Stack>
  );
}
