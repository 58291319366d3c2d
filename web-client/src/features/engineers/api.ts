import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '../../api/client';
import { type MutationOptions, thenAlso } from '../../api/hooks';

export type EngineerRecord = Schemas['EngineerRecord'];

/** The engineers' query keys, in one place (pages never spell them). */
export const engineerKeys = {
  me: ['engineer'] as const,
  orgs: ['engineering-orgs'] as const,
  renewals: ['renewal-queue'] as const,
  renewalQueue: (province: string, status: string) => ['renewal-queue', province, status] as const,
  record: (id: string) => ['engineer-record', id] as const,
  engineers: ['engineers'] as const,
  list: (province: string, q: string, page: number, perPage: number) => ['engineers', province, q, page, perPage] as const,
};

/** The signed-in engineer's whole record (EN-03). */
export function useMyEngineerRecord() {
  return useQuery({ queryKey: engineerKeys.me, queryFn: () => unwrap(api.GET('/api/v1/engineers/me')) });
}

/** Every change to one's own record answers the record: it replaces the cached one. */
function useRecordChange<V>(call: (v: V) => Promise<EngineerRecord>, options?: MutationOptions<EngineerRecord, V>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: call,
    ...options,
    onSuccess: thenAlso((record: EngineerRecord) => queryClient.setQueryData(engineerKeys.me, record), options?.onSuccess),
  });
}

export function useSaveMainInfo(options?: MutationOptions<EngineerRecord, Schemas['MainInfo']>) {
  return useRecordChange((body: Schemas['MainInfo']) => unwrap(api.PUT('/api/v1/engineers/me/main', { body })), options);
}

/** Adds a degree, or edits the one with this id. */
export function useSaveDegree(id: string | undefined, options?: MutationOptions<EngineerRecord, Schemas['DegreeInput']>) {
  return useRecordChange(
    (body: Schemas['DegreeInput']) =>
      id ? unwrap(api.PUT('/api/v1/engineers/me/degrees/{id}', { params: { path: { id } }, body })) : unwrap(api.POST('/api/v1/engineers/me/degrees', { body })),
    options,
  );
}

export function useRemoveDegree(options?: MutationOptions<EngineerRecord, string>) {
  return useRecordChange((id: string) => unwrap(api.DELETE('/api/v1/engineers/me/degrees/{id}', { params: { path: { id } } })), options);
}

/** Adds an address, or edits the one with this id. */
export function useSaveAddress(id: string | undefined, options?: MutationOptions<EngineerRecord, Schemas['AddressInput']>) {
  return useRecordChange(
    (body: Schemas['AddressInput']) =>
      id ? unwrap(api.PUT('/api/v1/engineers/me/addresses/{id}', { params: { path: { id } }, body })) : unwrap(api.POST('/api/v1/engineers/me/addresses', { body })),
    options,
  );
}

/** Makes an address the one letters go to. */
export function useCorrespondenceAddress(options?: MutationOptions<EngineerRecord, string>) {
  return useRecordChange((id: string) => unwrap(api.POST('/api/v1/engineers/me/addresses/{id}/correspondence', { params: { path: { id } } })), options);
}

export function useAddContact(options?: MutationOptions<EngineerRecord, Schemas['ContactInput']>) {
  return useRecordChange((body: Schemas['ContactInput']) => unwrap(api.POST('/api/v1/engineers/me/contacts', { body })), options);
}

export function useEditContact(options?: MutationOptions<EngineerRecord, { id: string; body: Schemas['ContactInput'] }>) {
  return useRecordChange(({ id, body }: { id: string; body: Schemas['ContactInput'] }) => unwrap(api.PUT('/api/v1/engineers/me/contacts/{id}', { params: { path: { id } }, body })), options);
}

/** Removes a contact or an address. */
export function useRemoveContactOrAddress(options?: MutationOptions<EngineerRecord, { kind: 'contact' | 'address'; id: string }>) {
  return useRecordChange(
    (r: { kind: 'contact' | 'address'; id: string }) =>
      r.kind === 'contact'
        ? unwrap(api.DELETE('/api/v1/engineers/me/contacts/{id}', { params: { path: { id: r.id } } }))
        : unwrap(api.DELETE('/api/v1/engineers/me/addresses/{id}', { params: { path: { id: r.id } } })),
    options,
  );
}

export function useAddDocument(options?: MutationOptions<EngineerRecord, Schemas['DocumentInput']>) {
  return useRecordChange((body: Schemas['DocumentInput']) => unwrap(api.POST('/api/v1/engineers/me/documents', { body })), options);
}

export function useRemoveDocument(options?: MutationOptions<EngineerRecord, string>) {
  return useRecordChange((id: string) => unwrap(api.DELETE('/api/v1/engineers/me/documents/{id}', { params: { path: { id } } })), options);
}

export function useAddRelative(options?: MutationOptions<EngineerRecord, Schemas['RelativeInput']>) {
  return useRecordChange((body: Schemas['RelativeInput']) => unwrap(api.POST('/api/v1/engineers/me/relatives', { body })), options);
}

export function useRemoveRelative(options?: MutationOptions<EngineerRecord, string>) {
  return useRecordChange((id: string) => unwrap(api.DELETE('/api/v1/engineers/me/relatives/{id}', { params: { path: { id } } })), options);
}

/** Asks for a renewal (EN-02); the record then shows it under review. */
export function useRequestRenewal(options?: MutationOptions<Schemas['RenewalView']>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/engineers/me/renewals')),
    ...options,
    onSuccess: thenAlso(() => void queryClient.invalidateQueries({ queryKey: engineerKeys.me }), options?.onSuccess),
  });
}

/** The provinces' engineering organisations and their renewal rules. */
export function useEngineeringOrgs() {
  return useQuery({ queryKey: engineerKeys.orgs, queryFn: () => unwrap(api.GET('/api/v1/engineering/provinces')) });
}

export function useUpdateOrg(province: string, options?: MutationOptions<Schemas['EngineeringOrg'], Schemas['OrgSettings']>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas['OrgSettings']) => unwrap(api.PUT('/api/v1/engineering/provinces/{province_id}', { params: { path: { province_id: province } }, body })),
    ...options,
    onSuccess: thenAlso(() => void queryClient.invalidateQueries({ queryKey: engineerKeys.orgs }), options?.onSuccess),
  });
}

/** The experts' renewal queue of a province, by status. */
export function useRenewalQueue(province: string, status: string) {
  return useQuery({
    queryKey: engineerKeys.renewalQueue(province, status),
    queryFn: () => unwrap(api.GET('/api/v1/engineering/renewals', { params: { query: { province_id: province, status } } })),
  });
}

/** The expert enters the prior debt of a renewal (EN-02). */
export function useAssessRenewal(id: string, options?: MutationOptions<Schemas['RenewalView'], number>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (debt: number) => unwrap(api.POST('/api/v1/engineering/renewals/{id}/assessment', { params: { path: { id } }, body: { debt_rials: debt } })),
    ...options,
    onSuccess: thenAlso(() => void queryClient.invalidateQueries({ queryKey: engineerKeys.renewals }), options?.onSuccess),
  });
}

/** The expert refuses a renewal under review, with a reason the engineer reads (EN-02). */
export function useRejectRenewal(id: string, options?: MutationOptions<Schemas['RenewalView'], string>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (reason: string) => unwrap(api.POST('/api/v1/engineering/renewals/{id}/rejection', { params: { path: { id } }, body: { reason } })),
    ...options,
    onSuccess: thenAlso(() => void queryClient.invalidateQueries({ queryKey: engineerKeys.renewals }), options?.onSuccess),
  });
}

/** A province's engineers, searched, page by page. */
export function useEngineers(province: string, q: string, page: number, perPage: number) {
  return useQuery({
    queryKey: engineerKeys.list(province, q, page, perPage),
    queryFn: () => unwrap(api.GET('/api/v1/engineering/engineers', { params: { query: { province_id: province, q: q || undefined, page, per_page: perPage } } })),
  });
}

/** One engineer's record, as the experts see it. */
export function useEngineerRecord(id: string) {
  return useQuery({ queryKey: engineerKeys.record(id), queryFn: () => unwrap(api.GET('/api/v1/engineering/engineers/{person_id}', { params: { path: { person_id: id } } })) });
}

/** The expert verifies one of the engineer's degrees. */
export function useVerifyDegree(id: string, options?: MutationOptions<EngineerRecord, string>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (degree: string) =>
      unwrap(api.POST('/api/v1/engineering/engineers/{person_id}/degrees/{degree_id}/verification', { params: { path: { person_id: id, degree_id: degree } } })),
    ...options,
    onSuccess: thenAlso((r: EngineerRecord) => queryClient.setQueryData(engineerKeys.record(id), r), options?.onSuccess),
  });
}

/** The expert confirms (or corrects) the province of birth an engineer entered (EN-07). */
export function useConfirmBirthProvince(id: string, options?: MutationOptions<EngineerRecord, string>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (province: string) =>
      unwrap(api.PUT('/api/v1/engineering/engineers/{person_id}/birth-province', { params: { path: { person_id: id } }, body: { province_id: province } })),
    ...options,
    onSuccess: thenAlso((r: EngineerRecord) => queryClient.setQueryData(engineerKeys.record(id), r), options?.onSuccess),
  });
}
