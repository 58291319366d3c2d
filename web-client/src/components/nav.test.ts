import { describe, expect, it } from 'vitest';
import type { Me } from '../api/client';
import { grantLabel } from '../features/profile/roles';
import { deviceName } from '../features/accounts/device';
import { navItems } from './nav';

const t = (key: string, opts?: Record<string, unknown>) => (opts?.id ? `${key}(${String(opts.id)})` : key);

function me(grants: Me['grants']): Me {
  return {
    id: 'p1',
    national_code: '0499370899',
    first_name: 'a',
    last_name: 'b',
    mobile: null,
    email: null,
    birth_date: null,
    created_at: '2025-01-01T00:00:00Z',
    must_change_password: false,
    protected_fields: [],
    grants,
  };
}

describe('role-aware navigation', () => {
  it('offers sign-in and registration to visitors', () => {
    expect(navItems(undefined, false, t).map((i) => i.key)).toEqual(['home', 'associations', 'news', 'elections', 'login', 'register']);
  });

  it('offers the profile to everyone signed in, and the API docs to administrators only', () => {
    expect(navItems(me([]), true, t).map((i) => i.key)).toEqual(['home', 'associations', 'news', 'elections', 'profile', 'messages', 'invoices']);
    const admin = me([{ role: 'commission_admin', scope_type: null, scope_id: null }]);
    expect(navItems(admin, true, t).map((i) => i.key)).toEqual(['home', 'associations', 'news', 'elections', 'profile', 'messages', 'invoices', 'roles', 'people', 'outbox', 'audit-log', 'integrations', 'api-docs']);
    const directorate = me([{ role: 'directorate_admin', scope_type: null, scope_id: null }]);
    expect(navItems(directorate, true, t).map((i) => i.key)).toContain('roles');
    expect(navItems(directorate, true, t).map((i) => i.key)).not.toContain('people');
    const member = me([{ role: 'member', scope_type: 'association', scope_id: '7' }]);
    expect(navItems(member, true, t).map((i) => i.key)).not.toContain('api-docs');
    expect(navItems(member, true, t).map((i) => i.key)).not.toContain('roles');
  });
});

describe('engineers', () => {
  it('offers the portal to engineers and the organisation to its experts, each only to them', () => {
    const engineer = me([{ role: 'engineer', scope_type: null, scope_id: null }]);
    const expert = me([{ role: 'engineering_admin', scope_type: 'province', scope_id: 'tehran' }]);
    expect(navItems(engineer, true, t).map((i) => i.key)).toContain('engineer');
    expect(navItems(engineer, true, t).map((i) => i.key)).not.toContain('engineering');
    expect(navItems(expert, true, t).map((i) => i.key)).toContain('engineering');
    expect(navItems(expert, true, t).map((i) => i.key)).not.toContain('engineer');
    expect(navItems(me([]), true, t).map((i) => i.key)).not.toContain('engineer');
  });
});

describe('integrations', () => {
  it('offers API keys and webhooks to the admins of organisations that have them', () => {
    for (const role of ['commission_admin', 'directorate_admin', 'engineering_admin'] as const) {
      const scope = role === 'engineering_admin' ? { scope_type: 'province' as const, scope_id: 'tehran' } : { scope_type: null, scope_id: null };
      expect(navItems(me([{ role, ...scope }]), true, t).map((i) => i.key)).toContain('integrations');
    }
    const associationAdmin = me([{ role: 'association_admin', scope_type: 'association', scope_id: '7' }]);
    expect(navItems(associationAdmin, true, t).map((i) => i.key)).not.toContain('integrations');
    expect(navItems(me([]), true, t).map((i) => i.key)).not.toContain('integrations');
  });
});

describe('grant labels', () => {
  it('offers the officer page to officers and the review queue to reviewers and the directorate', () => {
    const officer = me([{ role: 'technical_officer', scope_type: null, scope_id: null }]);
    expect(navItems(officer, true, t).map((i) => i.key)).toContain('officer');
    expect(navItems(officer, true, t).map((i) => i.key)).not.toContain('reviews');
    const reviewer = me([{ role: 'university_reviewer', scope_type: 'province', scope_id: 'tehran' }]);
    expect(navItems(reviewer, true, t).map((i) => i.key)).toContain('reviews');
    const directorate = me([{ role: 'directorate_admin', scope_type: null, scope_id: null }]);
    expect(navItems(directorate, true, t).map((i) => i.key)).toContain('reviews');
    expect(navItems(directorate, true, t).map((i) => i.key)).toContain('distributor');
    const manager = me([{ role: 'distributor_manager', scope_type: 'distributor', scope_id: 'd1' }]);
    expect(navItems(manager, true, t).map((i) => i.key)).toContain('distributor');
    expect(navItems(officer, true, t).map((i) => i.key)).not.toContain('distributor');
  });

  it("offers the audit log to every authority's admins (each reads its own part) and nobody else", () => {
    const keys = (grants: Parameters<typeof me>[0]) => navItems(me(grants), true, t).map((i) => i.key);
    for (const g of [
      { role: 'association_admin', scope_type: 'association', scope_id: 'a1' },
      { role: 'directorate_admin', scope_type: null, scope_id: null },
      { role: 'engineering_admin', scope_type: 'province', scope_id: 'tehran' },
    ] as const) {
      expect(keys([g])).toContain('audit-log');
    }
    expect(keys([{ role: 'member', scope_type: 'association', scope_id: 'a1' }])).not.toContain('audit-log');
    expect(keys([{ role: 'university_reviewer', scope_type: 'province', scope_id: 'tehran' }])).not.toContain('audit-log');
  });

  it('offers the register of qualified officers to the directorate and reviewers only', () => {
    const keys = (grants: Parameters<typeof me>[0]) => navItems(me(grants), true, t).map((i) => i.key);
    expect(keys([{ role: 'directorate_admin', scope_type: null, scope_id: null }])).toContain('qualified');
    expect(keys([{ role: 'university_reviewer', scope_type: 'province', scope_id: 'tehran' }])).toContain('qualified');
    expect(keys([{ role: 'technical_officer', scope_type: null, scope_id: null }])).not.toContain('qualified');
    expect(keys([{ role: 'distributor_manager', scope_type: 'distributor', scope_id: 'd1' }])).not.toContain('qualified');
  });

  it('names the role and its scope', () => {
    expect(grantLabel({ role: 'engineer', scope_type: null, scope_id: null }, t)).toBe('roles.engineer');
    expect(grantLabel({ role: 'member', scope_type: 'association', scope_id: '7' }, t)).toBe('roles.member — scope.association(7)');
    expect(grantLabel({ role: 'member', scope_type: 'association', scope_id: '7' }, t, { '7': 'انجمن فیزیوتراپی' })).toBe('roles.member — انجمن فیزیوتراپی');
  });
});

describe('sessions', () => {
  it('names devices by browser and system', () => {
    expect(deviceName('Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.36')).toBe('Chrome · Android');
    expect(deviceName('Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0')).toBe('Firefox · Windows');
    expect(deviceName('curl/8.5.0')).toBe('curl/8.5.0');
    expect(deviceName(null)).toBe('—');
  });
});
