import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '../../api/client';
import { type MutationOptions, thenAlso } from '../../api/hooks';

/** The reviewers' query keys, in one place (pages never spell them). */
export const reviewKeys = {
  queue: ['review-queue'] as const,
  queueOf: (filter: string) => ['review-queue', filter] as const,
  request: (id: string) => ['review', id] as const,
  cooperations: ['cooperation-queue'] as const,
};

export type QueueFilter = 'new' | 'returned' | 'deficient' | 'awaiting_payment' | 'decided';

/** The reviewer's queue (کارتابل) of qualification and amendment requests (TO-03). */
export function useReviewQueue(filter: QueueFilter, enabled: boolean) {
  return useQuery({ queryKey: reviewKeys.queueOf(filter), enabled, queryFn: () => unwrap(api.GET('/api/v1/officer-requests', { params: { query: { filter } } })) });
}

export function useReviewRequest(id: string) {
  return useQuery({ queryKey: reviewKeys.request(id), queryFn: () => unwrap(api.GET('/api/v1/officer-requests/{id}', { params: { path: { id } } })) });
}

export type Decision = { kind: 'approve' } | { kind: 'reject'; reason: string } | { kind: 'deficiencies'; items: string[] };

/** A reviewer's decision on a request; the answer replaces the cached request and the queue is read again. */
export function useDecideRequest(id: string, options?: MutationOptions<Schemas['RequestDetail'], Decision>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (d: Decision) => {
      const path = { params: { path: { id } } };
      if (d.kind === 'approve') return unwrap(api.POST('/api/v1/officer-requests/{id}/approve', path));
      if (d.kind === 'reject') return unwrap(api.POST('/api/v1/officer-requests/{id}/reject', { ...path, body: { reason: d.reason } }));
      return unwrap(api.POST('/api/v1/officer-requests/{id}/deficiencies', { ...path, body: { items: d.items } }));
    },
    ...options,
    onSuccess: thenAlso((r) => {
      queryClient.setQueryData(reviewKeys.request(id), r);
      void queryClient.invalidateQueries({ queryKey: reviewKeys.queue });
    }, options?.onSuccess),
  });
}

/** Cooperation requests the officers accepted, for the university (DI-03). */
export function useCooperationQueue() {
  return useQuery({ queryKey: reviewKeys.cooperations, queryFn: () => unwrap(api.GET('/api/v1/cooperation-reviews', { params: { query: { filter: 'pending' } } })) });
}

export type CooperationDecision = { id: string; approve: true } | { id: string; approve: false; reason: string };

export function useDecideCooperation(options?: MutationOptions<Schemas['CooperationDto'], CooperationDecision>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (d: CooperationDecision) =>
      d.approve
        ? unwrap(api.POST('/api/v1/cooperations/{id}/approve', { params: { path: { id: d.id } } }))
        : unwrap(api.POST('/api/v1/cooperations/{id}/reject', { params: { path: { id: d.id } }, body: { reason: d.reason } })),
    ...options,
    onSuccess: thenAlso(() => void queryClient.invalidateQueries({ queryKey: reviewKeys.cooperations }), options?.onSuccess),
  });
}

/** Names a university reviewer of a province (the directorate). */
export function useGrantReviewer(province: string, options?: MutationOptions<unknown, { national_code: string }>) {
  return useMutation({
    mutationFn: (body: { national_code: string }) => unwrap(api.POST('/api/v1/provinces/{id}/reviewers', { params: { path: { id: province } }, body })),
    ...options,
  });
}
