import { useQueryClient, type UseMutationOptions } from '@tanstack/react-query';
import type { paths } from './schema';

/**
 * What a page may add to a feature's mutation hook: its own reactions (close a dialog, clear a
 * form). The hook keeps the call and the cache updates, so every page that changes the same data
 * leaves the caches the same way.
 */
export type MutationOptions<TData, TVars = void> = Omit<UseMutationOptions<TData, Error, TVars>, 'mutationFn'>;

/** Runs the hook's own cache update, then the page's reaction. */
export function thenAlso<TData, TVars>(
  own: (data: TData, vars: TVars) => void,
  page?: MutationOptions<TData, TVars>['onSuccess'],
): NonNullable<MutationOptions<TData, TVars>['onSuccess']> {
  return (data, vars, ...rest) => {
    own(data, vars);
    return page?.(data, vars, ...rest);
  };
}

/** The JSON body an operation takes, read off the OpenAPI types (`RequestBody<'/api/v1/me', 'patch'>`). */
export type RequestBody<P extends keyof paths, M extends 'post' | 'put' | 'patch'> = paths[P][M] extends {
  requestBody?: { content: { 'application/json': infer B } };
}
  ? B
  : never;

/** A function that marks every query under `key` stale (they are asked again when shown). */
export function useInvalidate(key: readonly unknown[]) {
  const queryClient = useQueryClient();
  return () => void queryClient.invalidateQueries({ queryKey: key });
}
