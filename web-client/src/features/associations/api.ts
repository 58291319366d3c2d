import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '../../api/client';
import { type MutationOptions, type RequestBody, thenAlso } from '../../api/hooks';
import { referenceKeys } from '../../api/reference';

type Association = Schemas['AssociationDto'];
type Board = Schemas['Board'];

/** The associations' query keys, in one place (pages never spell them). */
export const associationKeys = {
  one: (id: string) => ['association', id] as const,
  board: (id: string) => ['board', id] as const,
  members: (id: string) => ['members', id] as const,
  membersPage: (id: string, status: string, q: string, page: number, perPage: number) => ['members', id, status, q, page, perPage] as const,
  mine: ['my-memberships'] as const,
  me: ['me'] as const,
  history: (membership: string) => ['membership-history', membership] as const,
};

export function useAssociation(id: string) {
  return useQuery({ queryKey: associationKeys.one(id), queryFn: () => unwrap(api.GET('/api/v1/associations/{id}', { params: { path: { id } } })) });
}

/** The commission creates an association; the list everyone picks from is read again. */
export function useCreateAssociation(options?: MutationOptions<Association, RequestBody<'/api/v1/associations', 'post'>>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: RequestBody<'/api/v1/associations', 'post'>) => unwrap(api.POST('/api/v1/associations', { body })),
    ...options,
    onSuccess: thenAlso(() => void queryClient.invalidateQueries({ queryKey: referenceKeys.associations }), options?.onSuccess),
  });
}

/** Saves an association's profile; its page shows the answer and the list is read again. */
export function useUpdateAssociation(id: string, options?: MutationOptions<Association, RequestBody<'/api/v1/associations/{id}', 'patch'>>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: RequestBody<'/api/v1/associations/{id}', 'patch'>) => unwrap(api.PATCH('/api/v1/associations/{id}', { params: { path: { id } }, body })),
    ...options,
    onSuccess: thenAlso((saved) => {
      queryClient.setQueryData(associationKeys.one(id), saved);
      void queryClient.invalidateQueries({ queryKey: referenceKeys.associations });
    }, options?.onSuccess),
  });
}

/** Replaces the fields and degrees an association accepts. */
export function useSetQualifications(id: string, options?: MutationOptions<Association, RequestBody<'/api/v1/associations/{id}/qualifications', 'put'>>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: RequestBody<'/api/v1/associations/{id}/qualifications', 'put'>) => unwrap(api.PUT('/api/v1/associations/{id}/qualifications', { params: { path: { id } }, body })),
    ...options,
    onSuccess: thenAlso((saved) => queryClient.setQueryData(associationKeys.one(id), saved), options?.onSuccess),
  });
}

/** Names an admin of the association by national code. */
export function useAddAssociationAdmin(id: string, options?: MutationOptions<unknown, string>) {
  return useMutation({
    mutationFn: (nationalCode: string) => unwrap(api.POST('/api/v1/associations/{id}/admins', { params: { path: { id } }, body: { national_code: nationalCode } })),
    ...options,
  });
}

export function useBoard(id: string) {
  return useQuery({ queryKey: associationKeys.board(id), queryFn: () => unwrap(api.GET('/api/v1/associations/{id}/board', { params: { path: { id } } })) });
}

/** Assigns a board position; the board shown becomes the answer. */
export function useAssignPosition(id: string, options?: MutationOptions<Board, RequestBody<'/api/v1/associations/{id}/board', 'post'>>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: RequestBody<'/api/v1/associations/{id}/board', 'post'>) => unwrap(api.POST('/api/v1/associations/{id}/board', { params: { path: { id } }, body })),
    ...options,
    onSuccess: thenAlso((board) => queryClient.setQueryData(associationKeys.board(id), board), options?.onSuccess),
  });
}

/** Closes a board term (the seat's id). */
export function useCloseTerm(id: string, options?: MutationOptions<unknown, string>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (seat: string) => unwrap(api.POST('/api/v1/board-positions/{id}/close', { params: { path: { id: seat } }, body: {} })),
    ...options,
    onSuccess: thenAlso(() => void queryClient.invalidateQueries({ queryKey: associationKeys.board(id) }), options?.onSuccess),
  });
}

/** The signed-in person's memberships in every association. */
export function useMyMemberships(enabled = true) {
  return useQuery({ queryKey: associationKeys.mine, enabled, queryFn: () => unwrap(api.GET('/api/v1/me/memberships')) });
}

/** The person's memberships and profile are read again after one of them changed. */
export function useRefreshMine() {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: associationKeys.mine });
    void queryClient.invalidateQueries({ queryKey: associationKeys.me });
  };
}

/** The signed-in person asks to join with one of the accepted fields and degrees. */
export function useRequestMembership(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: RequestBody<'/api/v1/associations/{id}/membership-requests', 'post'>) =>
      unwrap(api.POST('/api/v1/associations/{id}/membership-requests', { params: { path: { id } }, body })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: associationKeys.mine }),
  });
}

type MembersQuery = { status: string; q: string; page: number; perPage: number };

/** One page of an association's members for its admins (0-based `page`). */
export function useMembers(id: string, { status, q, page, perPage }: MembersQuery) {
  return useQuery({
    queryKey: associationKeys.membersPage(id, status, q, page, perPage),
    placeholderData: keepPreviousData,
    queryFn: () =>
      unwrap(api.GET('/api/v1/associations/{id}/members', { params: { path: { id }, query: { status: status || undefined, q: q.trim() || undefined, page: page + 1, per_page: perPage } } })),
  });
}

/** The members list and the association's counts are read again after a decision. */
export function useRefreshMembers(id: string) {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: associationKeys.members(id) });
    void queryClient.invalidateQueries({ queryKey: associationKeys.one(id) });
  };
}

export function useApproveMembership(id: string) {
  return useMutation({ mutationFn: (membership: string) => unwrap(api.POST('/api/v1/memberships/{id}/approve', { params: { path: { id: membership } } })), onSuccess: useRefreshMembers(id) });
}

export function useRejectMembership(id: string, options?: MutationOptions<unknown, { membership: string; reason: string }>) {
  return useMutation({
    mutationFn: ({ membership, reason }: { membership: string; reason: string }) => unwrap(api.POST('/api/v1/memberships/{id}/reject', { params: { path: { id: membership } }, body: { reason } })),
    ...options,
    onSuccess: thenAlso(useRefreshMembers(id), options?.onSuccess),
  });
}

/** The members as CSV (filtered as the list is), fetched with the session's token. */
export function useExportMembers(id: string, options?: MutationOptions<Blob, { status: string; q: string }>) {
  return useMutation({
    mutationFn: ({ status, q }: { status: string; q: string }) =>
      unwrap(api.GET('/api/v1/associations/{id}/members.csv', { params: { path: { id }, query: { status: status || undefined, q: q.trim() || undefined } }, parseAs: 'blob' })).then((b) => b as Blob),
    ...options,
  });
}

/** An admin registers a member directly (a record is made for someone not yet known). */
export function useRegisterMember(id: string, options?: MutationOptions<unknown, RequestBody<'/api/v1/associations/{id}/members', 'post'>>) {
  return useMutation({
    mutationFn: (body: RequestBody<'/api/v1/associations/{id}/members', 'post'>) => unwrap(api.POST('/api/v1/associations/{id}/members', { params: { path: { id } }, body })),
    ...options,
  });
}

/** Ends a membership: an admin removing the member, or the member leaving. */
export function useEndMembership(membership: string, mode: 'remove' | 'leave', options?: MutationOptions<Schemas['MembershipEnded'], string | null>) {
  return useMutation({
    mutationFn: (reason: string | null) => {
      const body = { reason };
      return mode === 'remove'
        ? unwrap(api.POST('/api/v1/memberships/{id}/end', { params: { path: { id: membership } }, body }))
        : unwrap(api.POST('/api/v1/me/memberships/{id}/leave', { params: { path: { id: membership } }, body }));
    },
    ...options,
  });
}

export function useMembershipHistory(membership: string) {
  return useQuery({ queryKey: associationKeys.history(membership), queryFn: () => unwrap(api.GET('/api/v1/memberships/{id}/history', { params: { path: { id: membership } } })) });
}

/** The public status check by national code (captcha protected). */
export function useMembershipStatus(options?: MutationOptions<Schemas['StatusAnswer'], RequestBody<'/api/v1/membership-status', 'post'>>) {
  return useMutation({ mutationFn: (body: RequestBody<'/api/v1/membership-status', 'post'>) => unwrap(api.POST('/api/v1/membership-status', { body })), ...options });
}
