import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '../../api/client';
import { type MutationOptions, thenAlso, useInvalidate } from '../../api/hooks';

type Role = Schemas['Role'];

/** The accounts' query keys, in one place (pages never spell them). */
export const accountKeys = {
  people: ['people'] as const,
  peoplePage: (q: string, page: number, perPage: number) => ['people', q, page, perPage] as const,
  grants: ['role-grants'] as const,
  grantsPage: (role: string, q: string, page: number, perPage: number) => ['role-grants', role, q, page, perPage] as const,
  grantable: ['grantable'] as const,
  sessions: ['my-sessions'] as const,
};

/** The commission's register of people, searched by name or national code (0-based `page`). */
export function usePeople(q: string, page: number, perPage: number) {
  return useQuery({
    queryKey: accountKeys.peoplePage(q, page, perPage),
    placeholderData: keepPreviousData,
    queryFn: () => unwrap(api.GET('/api/v1/people', { params: { query: { q: q.trim() || undefined, page: page + 1, per_page: perPage } } })),
  });
}

/** Re-enables a disabled account (the person's id). */
export function useEnablePerson(options?: MutationOptions<unknown, string>) {
  const refresh = useInvalidate(accountKeys.people);
  return useMutation({
    mutationFn: (id: string) => unwrap(api.POST('/api/v1/people/{id}/enable', { params: { path: { id } } })),
    ...options,
    onSuccess: thenAlso(refresh, options?.onSuccess),
  });
}

/** Disables a person's account with the reason they will be shown. */
export function useDisablePerson(id: string, options?: MutationOptions<unknown, string>) {
  const refresh = useInvalidate(accountKeys.people);
  return useMutation({
    mutationFn: (reason: string) => unwrap(api.POST('/api/v1/people/{id}/disable', { params: { path: { id } }, body: { reason } })),
    ...options,
    onSuccess: thenAlso(refresh, options?.onSuccess),
  });
}

/** The roles the signed-in authority may grant, with the scopes it may name. */
export function useGrantable() {
  return useQuery({ queryKey: accountKeys.grantable, queryFn: () => unwrap(api.GET('/api/v1/role-grants/grantable')) });
}

/** The grants the signed-in authority administers, filtered by role and person (0-based `page`). */
export function useRoleGrants(role: Role | '', q: string, page: number, perPage: number) {
  return useQuery({
    queryKey: accountKeys.grantsPage(role, q, page, perPage),
    placeholderData: keepPreviousData,
    queryFn: () =>
      unwrap(api.GET('/api/v1/role-grants', { params: { query: { role: role || undefined, q: q.trim() || undefined, page: page + 1, per_page: perPage } } })),
  });
}

/** Grants a role (with its scope, when the role has one) to the holder of a national code. */
export function useGrantRole(options?: MutationOptions<Schemas['RoleGrantDto'], Schemas['NewRoleGrant']>) {
  const refresh = useInvalidate(accountKeys.grants);
  return useMutation({
    mutationFn: (body: Schemas['NewRoleGrant']) => unwrap(api.POST('/api/v1/role-grants', { body })),
    ...options,
    onSuccess: thenAlso(refresh, options?.onSuccess),
  });
}

/** Revokes a grant (its id). */
export function useRevokeGrant(options?: MutationOptions<unknown, string>) {
  const refresh = useInvalidate(accountKeys.grants);
  return useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/api/v1/role-grants/{id}', { params: { path: { id } } })),
    ...options,
    onSuccess: thenAlso(refresh, options?.onSuccess),
  });
}

/** The signed-in person's sessions (devices). */
export function useMySessions() {
  return useQuery({ queryKey: accountKeys.sessions, queryFn: () => unwrap(api.GET('/api/v1/me/sessions')) });
}

/** Ends one of the signed-in person's sessions (its id). */
export function useEndSession(options?: MutationOptions<unknown, string>) {
  const refresh = useInvalidate(accountKeys.sessions);
  return useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/api/v1/me/sessions/{id}', { params: { path: { id } } })),
    ...options,
    onSuccess: thenAlso(refresh, options?.onSuccess),
  });
}

/** Ends every session but this one. */
export function useEndOtherSessions(options?: MutationOptions<Schemas['SessionsEnded']>) {
  const refresh = useInvalidate(accountKeys.sessions);
  return useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/me/sessions/end-others')),
    ...options,
    onSuccess: thenAlso(refresh, options?.onSuccess),
  });
}
