import type { Schemas } from '../../api/client';

/**
 * A grant as people read it: «مدیر انجمن — انجمن فیزیوتراپی ایران». `names` gives the names of
 * scopes that have one (associations); others show their id.
 */
export function grantLabel(
  grant: Schemas['Grant'],
  t: (key: string, opts?: Record<string, unknown>) => string,
  names: Record<string, string> = {},
): string {
  const role = t(`roles.${grant.role}`);
  if (!grant.scope_type || !grant.scope_id) return role;
  const name = names[grant.scope_id];
  return `${role} — ${name ?? t(`scope.${grant.scope_type}`, { id: grant.scope_id })}`;
}
