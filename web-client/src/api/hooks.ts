import type { UseMutationOptions } from '@tanstack/react-query';

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
