import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '../../api/client';
import { type MutationOptions, thenAlso } from '../../api/hooks';

type Distributor = Schemas['DistributorDto'];

/** The distributors' query keys, in one place (pages never spell them). */
export const distributorKeys = {
  list: ['distributors'] as const,
  one: (id: string) => ['distributor', id] as const,
};

/** The distributors the caller sees: every one for the directorate, their own for a manager. */
export function useDistributors(enabled = true) {
  return useQuery({ queryKey: distributorKeys.list, enabled, queryFn: () => unwrap(api.GET('/api/v1/distributors')) });
}

export function useDistributor(id: string) {
  return useQuery({ queryKey: distributorKeys.one(id), queryFn: () => unwrap(api.GET('/api/v1/distributors/{id}', { params: { path: { id } } })) });
}

/** Every change to a distributor answers the distributor: it replaces the cached one. */
function useKeepDistributor() {
  const queryClient = useQueryClient();
  return (d: Distributor) => queryClient.setQueryData(distributorKeys.one(d.id), d);
}

/** The directorate registers a distributor with its manager and central branch (DI-01). */
export function useCreateDistributor(options?: MutationOptions<Distributor, Schemas['DistributorBody']>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas['DistributorBody']) => unwrap(api.POST('/api/v1/distributors', { body })),
    ...options,
    onSuccess: thenAlso(() => void queryClient.invalidateQueries({ queryKey: distributorKeys.list }), options?.onSuccess),
  });
}

/** Names a technical officer for a branch (DI-02); the officer then decides. */
export function useNameOfficer(branch: string, options?: MutationOptions<Distributor, Schemas['NameOfficerBody']>) {
  const keep = useKeepDistributor();
  return useMutation({
    mutationFn: (body: Schemas['NameOfficerBody']) => unwrap(api.POST('/api/v1/branches/{id}/officer', { params: { path: { id: branch } }, body })),
    ...options,
    onSuccess: thenAlso(keep, options?.onSuccess),
  });
}

export function useAddBranch(distributor: string, options?: MutationOptions<Distributor, Schemas['BranchBody']>) {
  const keep = useKeepDistributor();
  return useMutation({
    mutationFn: (body: Schemas['BranchBody']) => unwrap(api.POST('/api/v1/distributors/{id}/branches', { params: { path: { id: distributor } }, body })),
    ...options,
    onSuccess: thenAlso(keep, options?.onSuccess),
  });
}
