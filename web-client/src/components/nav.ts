import type { Me } from '../api/client';

export interface NavItem {
  key: string;
  to: string;
  external?: boolean;
  label: string;
}

const ADMIN_ROLES = ['commission_admin', 'association_admin', 'directorate_admin', 'engineering_admin'];
/** Roles that grant others' roles (the authorities of the roles page). */
const GRANTING_ROLES = ['commission_admin', 'directorate_admin', 'engineering_admin'];
/** Roles whose organisations have API keys and webhooks. */
const INTEGRATION_ROLES = ['commission_admin', 'directorate_admin', 'engineering_admin'];

/** What the navigation offers to this person: items appear as their roles allow. */
export function navItems(me: Me | undefined, signedIn: boolean, t: (k: string) => string): NavItem[] {
  const items: NavItem[] = [
    { key: 'home', to: '/', label: t('nav.home') },
    { key: 'associations', to: '/associations', label: t('nav.associations') },
    { key: 'news', to: '/news', label: t('nav.news') },
    { key: 'elections', to: '/elections', label: t('nav.elections') },
  ];
  if (!signedIn) {
    items.push({ key: 'login', to: '/login', label: t('nav.login') }, { key: 'register', to: '/register', label: t('nav.register') });
    return items;
  }
  items.push({ key: 'profile', to: '/profile', label: t('nav.profile') });
  items.push({ key: 'messages', to: '/messages', label: t('nav.messages') });
  items.push({ key: 'invoices', to: '/invoices', label: t('nav.invoices') });
  if (me?.grants.some((g) => g.role === 'technical_officer')) {
    items.push({ key: 'officer', to: '/officer', label: t('nav.officer') });
  }
  if (me?.grants.some((g) => g.role === 'engineer')) {
    items.push({ key: 'engineer', to: '/engineer', label: t('nav.engineer') });
  }
  if (me?.grants.some((g) => g.role === 'engineering_admin')) {
    items.push({ key: 'engineering', to: '/engineering', label: t('nav.engineering') });
  }
  if (me?.grants.some((g) => g.role === 'distributor_manager' || g.role === 'directorate_admin')) {
    items.push({ key: 'distributor', to: '/distributor', label: t('nav.distributor') });
  }
  if (me?.grants.some((g) => g.role === 'university_reviewer' || g.role === 'directorate_admin')) {
    items.push({ key: 'reviews', to: '/reviews', label: t('nav.reviews') });
    items.push({ key: 'qualified', to: '/qualified-officers', label: t('nav.qualified') });
  }
  if (me?.grants.some((g) => GRANTING_ROLES.includes(g.role))) {
    items.push({ key: 'roles', to: '/admin/roles', label: t('nav.roles') });
  }
  if (me?.grants.some((g) => g.role === 'commission_admin')) {
    items.push({ key: 'people', to: '/admin/people', label: t('nav.people') });
    items.push({ key: 'outbox', to: '/admin/outbox', label: t('nav.outbox') });
  }
  if (me?.grants.some((g) => ADMIN_ROLES.includes(g.role))) {
    items.push({ key: 'audit-log', to: '/admin/audit-log', label: t('nav.auditLog') });
  }
  if (me?.grants.some((g) => INTEGRATION_ROLES.includes(g.role))) {
    items.push({ key: 'integrations', to: '/admin/integrations', label: t('nav.integrations') });
  }
  if (me?.grants.some((g) => ADMIN_ROLES.includes(g.role))) {
    items.push({ key: 'api-docs', to: '/api/docs/', external: true, label: t('nav.apiDocs') });
  }
  return items;
}

