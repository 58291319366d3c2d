import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '../../api/client';
import { type MutationOptions, thenAlso, useInvalidate } from '../../api/hooks';
import type { operations } from '../../api/schema';

export type AuditQuery = NonNullable<operations['audit_log']['parameters']['query']>;
export type OutboxQuery = NonNullable<operations['outbox_list']['parameters']['query']>;

/** The administration pages' query keys, in one place (pages never spell them). */
export const adminKeys = {
  auditVerification: ['audit-verification'] as const,
  audit: (query: AuditQuery) => ['audit-log', query] as const,
  outbox: ['outbox'] as const,
  outboxPage: (query: OutboxQuery) => ['outbox', query] as const,
  keys: ['api-keys'] as const,
  webhooks: ['webhooks'] as const,
  deliveries: (hook: string) => ['webhook-deliveries', hook] as const,
  deliveriesPage: (hook: string, page: number, perPage: number) => ['webhook-deliveries', hook, page, perPage] as const,
  catalogue: ['integrations-catalogue'] as const,
};

/** Whether the audit log's hash chain is intact (the commission's check). */
export function useAuditVerification(enabled: boolean) {
  return useQuery({ queryKey: adminKeys.auditVerification, enabled, queryFn: () => unwrap(api.GET('/api/v1/audit-log/verification')) });
}

/** One page of the audit log the caller may read, filtered. */
export function useAuditLog(query: AuditQuery) {
  return useQuery({ queryKey: adminKeys.audit(query), placeholderData: keepPreviousData, queryFn: () => unwrap(api.GET('/api/v1/audit-log', { params: { query } })) });
}

/** One page of the outbox, refreshed every five seconds while shown. */
export function useOutbox(query: OutboxQuery) {
  return useQuery({
    queryKey: adminKeys.outboxPage(query),
    placeholderData: keepPreviousData,
    refetchInterval: 5000,
    queryFn: () => unwrap(api.GET('/api/v1/outbox', { params: { query } })),
  });
}

/** Sends a failed or undelivered message again (its id). */
export function useResend(options?: MutationOptions<unknown, string>) {
  const refresh = useInvalidate(adminKeys.outbox);
  return useMutation({
    mutationFn: (id: string) => unwrap(api.POST('/api/v1/outbox/{id}/resend', { params: { path: { id } } })),
    ...options,
    onSuccess: thenAlso(refresh, options?.onSuccess),
  });
}

/** Who may hold API keys and webhooks, with the scopes and events each may use. */
export function useIntegrationsCatalogue() {
  return useQuery({ queryKey: adminKeys.catalogue, queryFn: () => unwrap(api.GET('/api/v1/integrations/catalogue')) });
}

export function useApiKeys() {
  return useQuery({ queryKey: adminKeys.keys, queryFn: () => unwrap(api.GET('/api/v1/integrations/keys')) });
}

/** Issues an API key; its secret is in the answer, once. */
export function useCreateApiKey(options?: MutationOptions<Schemas['IssuedKey'], Schemas['NewKey']>) {
  const refresh = useInvalidate(adminKeys.keys);
  return useMutation({
    mutationFn: (body: Schemas['NewKey']) => unwrap(api.POST('/api/v1/integrations/keys', { body })),
    ...options,
    onSuccess: thenAlso(refresh, options?.onSuccess),
  });
}

/** Rotates a key (the new secret, once) or revokes it (null). */
export function useKeyAction(options?: MutationOptions<string | null, { id: string; action: 'rotate' | 'revoke' }>) {
  const refresh = useInvalidate(adminKeys.keys);
  return useMutation({
    mutationFn: ({ id, action }: { id: string; action: 'rotate' | 'revoke' }) =>
      action === 'rotate'
        ? unwrap(api.POST('/api/v1/integrations/keys/{id}/rotate', { params: { path: { id } } })).then((r) => r.secret)
        : unwrap(api.POST('/api/v1/integrations/keys/{id}/revoke', { params: { path: { id } } })).then(() => null),
    ...options,
    onSuccess: thenAlso(refresh, options?.onSuccess),
  });
}

export function useWebhooks() {
  return useQuery({ queryKey: adminKeys.webhooks, queryFn: () => unwrap(api.GET('/api/v1/integrations/webhooks')) });
}

/** Registers a webhook; its signing secret is in the answer, once. */
export function useCreateWebhook(options?: MutationOptions<Schemas['IssuedWebhook'], Schemas['NewWebhook']>) {
  const refresh = useInvalidate(adminKeys.webhooks);
  return useMutation({
    mutationFn: (body: Schemas['NewWebhook']) => unwrap(api.POST('/api/v1/integrations/webhooks', { body })),
    ...options,
    onSuccess: thenAlso(refresh, options?.onSuccess),
  });
}

export function useUpdateWebhook() {
  const refresh = useInvalidate(adminKeys.webhooks);
  return useMutation({
    mutationFn: ({ id, ...body }: Schemas['WebhookChanges'] & { id: string }) => unwrap(api.PUT('/api/v1/integrations/webhooks/{id}', { params: { path: { id } }, body })),
    onSuccess: refresh,
  });
}

/** One page of a webhook's deliveries (0-based `page`). */
export function useDeliveries(hook: string, page: number, perPage: number) {
  return useQuery({
    queryKey: adminKeys.deliveriesPage(hook, page, perPage),
    refetchInterval: 5000,
    queryFn: () => unwrap(api.GET('/api/v1/integrations/webhooks/{id}/deliveries', { params: { path: { id: hook }, query: { page: page + 1, per_page: perPage } } })),
  });
}

/** Delivers an event to the webhook again (the delivery's id). */
export function useRedeliver(hook: string) {
  const refresh = useInvalidate(adminKeys.deliveries(hook));
  return useMutation({
    mutationFn: (delivery: string) => unwrap(api.POST('/api/v1/integrations/webhooks/{id}/deliveries/{delivery}/redeliver', { params: { path: { id: hook, delivery } } })),
    onSuccess: refresh,
  });
}
