import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '../../api/client';
import type { MutationOptions } from '../../api/hooks';

/** The sign-in pages' query keys, in one place (pages never spell them). */
export const authKeys = {
  me: ['me'] as const,
  sso: ['sso'] as const,
  smsRecovery: (id: string | undefined) => ['sms-recovery', id] as const,
};

type Tokens = Schemas['TokenResponse'];

export function useLogin(options?: MutationOptions<Tokens, Schemas['LoginRequest']>) {
  return useMutation({ mutationFn: (body: Schemas['LoginRequest']) => unwrap(api.POST('/api/v1/auth/login', { body })), ...options });
}

export function useRegister(options?: MutationOptions<unknown, Schemas['RegisterRequest']>) {
  return useMutation({ mutationFn: (body: Schemas['RegisterRequest']) => unwrap(api.POST('/api/v1/auth/register', { body })), ...options });
}

/** Whether single sign-on is offered, and its name (asked once per visit). */
export function useSso() {
  return useQuery({ queryKey: authKeys.sso, staleTime: Infinity, queryFn: () => unwrap(api.GET('/api/v1/auth/sso')) });
}

/** Changes the signed-in person's password; the profile is read again (the forced change ends). */
export function useChangePassword(options?: MutationOptions<unknown, Schemas['ChangePasswordRequest']>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas['ChangePasswordRequest']) => unwrap(api.POST('/api/v1/auth/change-password', { body })),
    ...options,
    onSuccess: async (...args) => {
      await queryClient.invalidateQueries({ queryKey: authKeys.me });
      return options?.onSuccess?.(...args);
    },
  });
}

/** Recovery, option 1: a reset code sent to the mobile and e-mail on file. */
export function useRequestResetCode(options?: MutationOptions<Schemas['RecoveryAccepted'], Schemas['RecoveryRequest']>) {
  return useMutation({ mutationFn: (body: Schemas['RecoveryRequest']) => unwrap(api.POST('/api/v1/auth/recovery', { body })), ...options });
}

export function useResetWithCode(options?: MutationOptions<unknown, Schemas['ResetRequest']>) {
  return useMutation({ mutationFn: (body: Schemas['ResetRequest']) => unwrap(api.POST('/api/v1/auth/recovery/reset', { body })), ...options });
}

/** Recovery, option 2: the person texts a code from their mobile. */
export function useRequestSmsRecovery(options?: MutationOptions<Schemas['SmsRecoveryResponse'], Schemas['RecoveryRequest']>) {
  return useMutation({ mutationFn: (body: Schemas['RecoveryRequest']) => unwrap(api.POST('/api/v1/auth/recovery/sms', { body })), ...options });
}

/** The state of an SMS recovery, asked every few seconds until the text has arrived. */
export function useSmsRecoveryStatus(id: string | undefined) {
  return useQuery({
    queryKey: authKeys.smsRecovery(id),
    queryFn: () => unwrap(api.GET('/api/v1/auth/recovery/sms/{id}', { params: { path: { id: id ?? '' } } })),
    enabled: Boolean(id),
    refetchInterval: (q) => (q.state.data?.status === 'pending' || !q.state.data ? 3000 : false),
  });
}
