import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '../../api/client';
import { type MutationOptions, thenAlso } from '../../api/hooks';

/** The session's own profile, as the app's auth context reads it. */
const meKey = ['me'] as const;

/** Saves the signed-in person's own details; the session's profile becomes the answer. */
export function useUpdateMe(options?: MutationOptions<Schemas['MeResponse'], Schemas['UpdateMeRequest']>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas['UpdateMeRequest']) => unwrap(api.PATCH('/api/v1/me', { body })),
    ...options,
    onSuccess: thenAlso((updated) => queryClient.setQueryData(meKey, updated), options?.onSuccess),
  });
}
