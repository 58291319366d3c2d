import type { Schemas } from '../../api/client';

/** A grant as people read it: «مدیر انجمن — انجمن 12». */
export function grantLabel(grant: Schemas['Grant'], t: (key: string, opts?: Record<string, unknown>) => string): string {
  const role = t(`roles.${grant.role}`);
  if (!grant.scope_type || !grant.scope_id) return role;
  return `${role} — ${t(`scope.${grant.scope_type}`, { id: grant.scope_id })}`;
}
