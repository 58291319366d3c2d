import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '../../api/client';
import { type MutationOptions, thenAlso } from '../../api/hooks';

type Officer = Schemas['OfficerDto'];

/** The officers' query keys, in one place (pages never spell them). */
export const officerKeys = {
  me: ['officer-me'] as const,
  fields: ['officer-fields'] as const,
  cooperations: ['my-cooperations'] as const,
  qualified: ['qualified-officers'] as const,
  qualifiedPage: (q: string, standing: string, page: number, perPage: number) => ['qualified-officers', q, standing, page, perPage] as const,
  standingHistory: (id: string) => ['standing-history', id] as const,
};

/** The fields and degrees the directorate allows (TO-01). */
export function useOfficerFields() {
  return useQuery({ queryKey: officerKeys.fields, queryFn: () => unwrap(api.GET('/api/v1/officer-fields')) });
}

/** The signed-in officer's record with the request in progress (TO-06). */
export function useMyOfficer(enabled: boolean) {
  return useQuery({ queryKey: officerKeys.me, enabled, retry: false, queryFn: () => unwrap(api.GET('/api/v1/officers/me')) });
}

/** The answer of every change to one's own record is the record: it replaces the cached one. */
function useKeepOfficer() {
  const queryClient = useQueryClient();
  return (o: Officer) => queryClient.setQueryData(officerKeys.me, o);
}

export function useRegisterOfficer(options?: MutationOptions<Officer, Schemas['Registration']>) {
  return useMutation({ mutationFn: (body: Schemas['Registration']) => unwrap(api.POST('/api/v1/officers', { body })), ...options });
}

export function useEditMyOfficer(options?: MutationOptions<Officer, Schemas['OfficerEdit']>) {
  const keep = useKeepOfficer();
  return useMutation({
    mutationFn: (body: Schemas['OfficerEdit']) => unwrap(api.PATCH('/api/v1/officers/me', { body })),
    ...options,
    onSuccess: thenAlso(keep, options?.onSuccess),
  });
}

export function useSubmitRequest(options?: MutationOptions<Officer, Schemas['NewRequest']>) {
  const keep = useKeepOfficer();
  return useMutation({
    mutationFn: (body: Schemas['NewRequest']) => unwrap(api.POST('/api/v1/officers/me/requests', { body })),
    ...options,
    onSuccess: thenAlso(keep, options?.onSuccess),
  });
}

export function useResubmitRequest(id: string, options?: MutationOptions<Officer, Schemas['ResubmitBody']>) {
  const keep = useKeepOfficer();
  return useMutation({
    mutationFn: (body: Schemas['ResubmitBody']) => unwrap(api.POST('/api/v1/officer-requests/{id}/resubmit', { params: { path: { id } }, body })),
    ...options,
    onSuccess: thenAlso(keep, options?.onSuccess),
  });
}

/** The officer's cooperation requests from distributors (DI-02, DI-03). */
export function useMyCooperations() {
  return useQuery({ queryKey: officerKeys.cooperations, queryFn: () => unwrap(api.GET('/api/v1/officers/me/cooperations')) });
}

export type CooperationStep = { id: string; what: 'accept' | 'decline' | 'terminate' };

export function useCooperationStep(options?: MutationOptions<Schemas['CooperationDto'], CooperationStep>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, what }: CooperationStep) => {
      const path = { params: { path: { id } } };
      if (what === 'accept') return unwrap(api.POST('/api/v1/cooperations/{id}/accept', path));
      if (what === 'decline') return unwrap(api.POST('/api/v1/cooperations/{id}/decline', path));
      return unwrap(api.POST('/api/v1/cooperations/{id}/terminate', path));
    },
    ...options,
    onSuccess: thenAlso(() => void queryClient.invalidateQueries({ queryKey: officerKeys.cooperations }), options?.onSuccess),
  });
}

export type QualifiedQuery = { q: string; standing: string; page: number; perPage: number };

/** The directorate's list of qualified officers, searched and paged (the previous page stays while the next loads). */
export function useQualifiedOfficers({ q, standing, page, perPage }: QualifiedQuery) {
  return useQuery({
    queryKey: officerKeys.qualifiedPage(q, standing, page, perPage),
    placeholderData: keepPreviousData,
    queryFn: () => unwrap(api.GET('/api/v1/qualified-officers', { params: { query: { q: q.trim() || undefined, standing: standing || undefined, page: page + 1, per_page: perPage } } })),
  });
}

/** Suspends, reinstates or revokes a qualification; every page of the list is read again. */
export function useChangeStanding(personId: string, options?: MutationOptions<Schemas['StandingChanged'], Schemas['StandingChange']>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas['StandingChange']) => unwrap(api.POST('/api/v1/qualified-officers/{id}/standing', { params: { path: { id: personId } }, body })),
    ...options,
    onSuccess: thenAlso(() => void queryClient.invalidateQueries({ queryKey: officerKeys.qualified }), options?.onSuccess),
  });
}

export function useStandingHistory(personId: string) {
  return useQuery({ queryKey: officerKeys.standingHistory(personId), queryFn: () => unwrap(api.GET('/api/v1/qualified-officers/{id}', { params: { path: { id: personId } } })) });
}

/** Replaces the directorate's list of fields and degrees that qualify (TO-01). */
export function useReplaceOfficerFields(options?: MutationOptions<Schemas['OfficerFieldList'], Schemas['OfficerField'][]>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas['OfficerField'][]) => unwrap(api.PUT('/api/v1/officer-fields', { body })),
    ...options,
    onSuccess: thenAlso((r) => queryClient.setQueryData(officerKeys.fields, r), options?.onSuccess),
  });
}
