import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '../../api/client';
import { type MutationOptions, thenAlso } from '../../api/hooks';

/** The messages' query keys, in one place (pages never spell them). */
export const messageKeys = {
  mailboxes: ['mailboxes'] as const,
  mailbox: (mailbox: string) => ['messages', mailbox] as const,
  page: (mailbox: string, folder: string, page: number, perPage: number) => ['messages', mailbox, folder, page, perPage] as const,
  message: (mailbox: string, id: string) => ['message', mailbox, id] as const,
};

/** A mailbox's lists and the unread counts, after reading or sending changed them. */
function useRefresh(mailbox: string) {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: messageKeys.mailbox(mailbox) });
    void queryClient.invalidateQueries({ queryKey: messageKeys.mailboxes });
  };
}

/** The mailboxes the signed-in person reads, with their unread counts. */
export function useMailboxes() {
  return useQuery({ queryKey: messageKeys.mailboxes, queryFn: () => unwrap(api.GET('/api/v1/mailboxes')) });
}

/** One page of a mailbox's inbox or sent folder (1-based `page` on the wire). */
export function useMessagePage(mailbox: string, folder: 'inbox' | 'sent', page: number, perPage: number, enabled: boolean) {
  return useQuery({
    queryKey: messageKeys.page(mailbox, folder, page, perPage),
    placeholderData: keepPreviousData,
    enabled,
    queryFn: () => unwrap(api.GET('/api/v1/mailboxes/{mailbox}/messages', { params: { path: { mailbox }, query: { folder, page: page + 1, per_page: perPage } } })),
  });
}

/** One message; opening it marks it read, so the lists and counts are refreshed. */
export function useMessage(mailbox: string, id: string) {
  const refresh = useRefresh(mailbox);
  return useQuery({
    queryKey: messageKeys.message(mailbox, id),
    queryFn: async () => {
      const m = await unwrap(api.GET('/api/v1/mailboxes/{mailbox}/messages/{id}', { params: { path: { mailbox, id } } }));
      refresh();
      return m;
    },
  });
}

export function useMarkUnread(mailbox: string, id: string, options?: MutationOptions<unknown>) {
  const refresh = useRefresh(mailbox);
  return useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/mailboxes/{mailbox}/messages/{id}/read', { params: { path: { mailbox, id } }, body: { read: false } })),
    ...options,
    onSuccess: thenAlso(refresh, options?.onSuccess),
  });
}

export function useSendMessage(from: string, options?: MutationOptions<Schemas['MessageDto'], Schemas['SendMessage']>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas['SendMessage']) => unwrap(api.POST('/api/v1/messages', { body })),
    ...options,
    onSuccess: thenAlso(() => void queryClient.invalidateQueries({ queryKey: messageKeys.mailbox(from) }), options?.onSuccess),
  });
}

/** Downloads a private attachment with the session's token and hands it to the browser. */
export function useDownload() {
  return useMutation({
    mutationFn: async (file: Schemas['AttachmentDto']) => {
      const blob = await unwrap(api.GET('/api/v1/files/{id}', { params: { path: { id: file.id } }, parseAs: 'blob' }));
      const url = URL.createObjectURL(blob as Blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = file.name ?? file.id;
      a.click();
      URL.revokeObjectURL(url);
    },
  });
}
