import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';
import type { Schemas } from '../../api/client';
import { grantLabel } from './roles';
import { useAssociationList } from '../../api/reference';

/** A person's roles as chips, or a note that there are none. */
export function GrantChips({ grants }: { grants: Schemas['Grant'][] }) {
  const { t } = useTranslation();
  // Association names for association-scoped roles (the public list, cached).
  const scoped = grants.some((g) => g.scope_type === 'association');
  const associations = useAssociationList(scoped);
  const names = Object.fromEntries((associations.data?.items ?? []).map((a) => [a.id, a.name]));
  if (grants.length === 0) return <Typography color="text.secondary">{t('home.noRoles')}</Typography>;
  return (
    <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap', mt: 1 }} data-testid="roles">
      {grants.map((g) => (
        <Chip key={`${g.role}-${g.scope_type ?? ''}-${g.scope_id ?? ''}`} label={grantLabel(g, t, names)} color="primary" variant="outlined" />
      ))}
    </Stack>
  );
}
