import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '../../api/client';
import { type MutationOptions, thenAlso } from '../../api/hooks';

type Item = Schemas['NewsItem'];

/** The news' query keys, in one place (pages never spell them). */
export const newsKeys = {
  all: ['news'] as const,
  page: (page: number, perPage: number) => ['news', page, perPage] as const,
  item: (id: string, status: string) => ['news-item', id, status] as const,
  association: (id: string) => ['association-news', id] as const,
  associationList: (id: string, manager: boolean) => ['association-news', id, manager] as const,
};

/** Every news list that may show a changed item. */
function useRefreshNews(association: string) {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: newsKeys.association(association) });
    void queryClient.invalidateQueries({ queryKey: newsKeys.all });
  };
}

/** One page of the published news of every association (0-based `page` here, 1-based on the wire). */
export function useNewsPage(page: number, perPage: number) {
  return useQuery({
    queryKey: newsKeys.page(page, perPage),
    placeholderData: keepPreviousData,
    queryFn: () => unwrap(api.GET('/api/v1/news', { params: { query: { page: page + 1, per_page: perPage } } })),
  });
}

/** One item; `status` is the session's, so a draft is asked for again once the session is restored. */
export function useNewsItem(id: string, status: string) {
  return useQuery({ queryKey: newsKeys.item(id, status), enabled: status !== 'restoring', queryFn: () => unwrap(api.GET('/api/v1/news/{id}', { params: { path: { id } } })) });
}

/** An association's news; its managers see the drafts too. */
export function useAssociationNews(id: string, manager: boolean) {
  return useQuery({
    queryKey: newsKeys.associationList(id, manager),
    queryFn: () => unwrap(api.GET('/api/v1/associations/{id}/news', { params: { path: { id }, query: { drafts: manager || undefined, per_page: 20 } } })),
  });
}

/** Writes a new item of the association (published at once if asked), or edits the one given. */
export function useSaveNews(association: string, item: Item | null, options?: MutationOptions<Item, Schemas['NewsBody']>) {
  const refresh = useRefreshNews(association);
  return useMutation({
    mutationFn: (body: Schemas['NewsBody']) =>
      item
        ? unwrap(api.PATCH('/api/v1/news/{id}', { params: { path: { id: item.id } }, body }))
        : unwrap(api.POST('/api/v1/associations/{id}/news', { params: { path: { id: association } }, body })),
    ...options,
    onSuccess: thenAlso(refresh, options?.onSuccess),
  });
}

/** Publishes a draft, or takes a published item back to draft. */
export function useTogglePublished(association: string, options?: MutationOptions<Item, Item>) {
  const refresh = useRefreshNews(association);
  return useMutation({
    mutationFn: (n: Item) =>
      n.published_at
        ? unwrap(api.POST('/api/v1/news/{id}/unpublish', { params: { path: { id: n.id } } }))
        : unwrap(api.POST('/api/v1/news/{id}/publish', { params: { path: { id: n.id } } })),
    ...options,
    onSuccess: thenAlso(refresh, options?.onSuccess),
  });
}
