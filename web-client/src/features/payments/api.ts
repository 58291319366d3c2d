import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '../../api/client';
import { type MutationOptions, thenAlso } from '../../api/hooks';

/** The payments' query keys, in one place (pages never spell them). */
export const paymentKeys = {
  invoices: ['invoices'] as const,
  invoiceList: (all: boolean) => ['invoices', all] as const,
  invoice: (id: string) => ['invoice', id] as const,
  sandbox: (authority: string) => ['sandbox', authority] as const,
};

/** The caller's invoices, or (`all`, commission admins) everyone's. */
export function useInvoices(all: boolean) {
  return useQuery({
    queryKey: paymentKeys.invoiceList(all),
    queryFn: () => unwrap(api.GET('/api/v1/invoices', { params: { query: { all: all || undefined } } })),
  });
}

export function useInvoice(id: string) {
  return useQuery({ queryKey: paymentKeys.invoice(id), queryFn: () => unwrap(api.GET('/api/v1/invoices/{id}', { params: { path: { id } } })) });
}

/** Sends the payer to the gateway for an invoice (its id). */
export function usePay() {
  return useMutation({
    mutationFn: (id: string) => unwrap(api.POST('/api/v1/invoices/{id}/pay', { params: { path: { id } } })),
    onSuccess: (start) => window.location.assign(start.redirect_url),
  });
}

/** Issues an invoice to a person (commission admins). */
export function useIssueInvoice(options?: MutationOptions<Schemas['InvoiceDto'], Schemas['NewInvoice']>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas['NewInvoice']) => unwrap(api.POST('/api/v1/invoices', { body })),
    ...options,
    onSuccess: thenAlso(() => void queryClient.invalidateQueries({ queryKey: paymentKeys.invoices }), options?.onSuccess),
  });
}

/** A payment waiting in the sandbox gateway. */
export function useSandboxPayment(authority: string) {
  return useQuery({
    queryKey: paymentKeys.sandbox(authority),
    queryFn: () => unwrap(api.GET('/api/v1/payments/sandbox/payments/{authority}', { params: { path: { authority } } })),
  });
}

/** Pays or cancels in the sandbox gateway, then goes back where the gateway sends. */
export function useSandboxDecision(authority: string) {
  return useMutation({
    mutationFn: (action: 'pay' | 'cancel') =>
      action === 'pay'
        ? unwrap(api.POST('/api/v1/payments/sandbox/payments/{authority}/pay', { params: { path: { authority } } }))
        : unwrap(api.POST('/api/v1/payments/sandbox/payments/{authority}/cancel', { params: { path: { authority } } })),
    onSuccess: (d) => window.location.assign(d.redirect_url),
  });
}
