import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '../../api/client';
import { type MutationOptions, type RequestBody, thenAlso } from '../../api/hooks';

type Election = Schemas['ElectionDto'];
type When = 'running' | 'upcoming' | 'past';
/** The admins' steps of an election's life that need no input but a reason to cancel. */
export type Step = 'publish' | 'cancel' | 'tally' | 'publish-results' | 'restart';
type Channel = 'email' | 'sms' | 'inbound';

/** The elections' query keys, in one place (pages never spell them). */
export const electionKeys = {
  one: (id: string) => ['election', id] as const,
  list: (when: When) => ['elections', when] as const,
  ofAssociation: (association: string, manager: boolean) => ['elections', 'association', association, manager] as const,
  results: (id: string) => ['election-results', id] as const,
  /** The results as the session sees them (the minutes ask again once the session is restored). */
  resultsFor: (id: string, session: string) => ['election-results', id, session] as const,
  turnout: (id: string) => ['turnout', id] as const,
  trusteeships: ['trusteeships'] as const,
  ceremony: (id: string) => ['ceremony', id] as const,
  bulletin: (id: string) => ['bulletin', id] as const,
  bulletinEntry: (id: string, code: string) => ['bulletin', id, code] as const,
  myVote: (id: string) => ['my-vote', id] as const,
  myVoteSms: (id: string) => ['my-vote-sms', id] as const,
};

export function useElection(id: string, enabled = true) {
  return useQuery({ queryKey: electionKeys.one(id), enabled, queryFn: () => unwrap(api.GET('/api/v1/elections/{id}', { params: { path: { id } } })) });
}

/** Running, upcoming or past elections of every association. */
export function useElections(when: When) {
  return useQuery({ queryKey: electionKeys.list(when), queryFn: () => unwrap(api.GET('/api/v1/elections', { params: { query: { when } } })) });
}

/** An association's elections (its admins also get the drafts). */
export function useAssociationElections(association: string, manager: boolean, enabled: boolean) {
  return useQuery({
    queryKey: electionKeys.ofAssociation(association, manager),
    enabled,
    queryFn: () => unwrap(api.GET('/api/v1/elections', { params: { query: { association_id: association } } })),
  });
}

/** The results, once published (or, for the minutes, as the session may see them). */
export function useElectionResults(id: string, enabled: boolean, session?: string) {
  return useQuery({
    queryKey: session === undefined ? electionKeys.results(id) : electionKeys.resultsFor(id, session),
    enabled,
    queryFn: () => unwrap(api.GET('/api/v1/elections/{id}/results', { params: { path: { id } } })),
  });
}

/** The signed-in person's duties as a trustee. */
export function useTrusteeships(enabled: boolean) {
  return useQuery({ queryKey: electionKeys.trusteeships, enabled, queryFn: () => unwrap(api.GET('/api/v1/trusteeships')) });
}

/** Turnout for the election's admins, every ten seconds while voting is open. */
export function useTurnout(election: Election) {
  const id = election.id;
  return useQuery({
    queryKey: electionKeys.turnout(id),
    enabled: ['open', 'closed', 'tallied', 'results_published'].includes(election.status),
    refetchInterval: election.status === 'open' ? 10_000 : false,
    queryFn: () => unwrap(api.GET('/api/v1/elections/{id}/turnout', { params: { path: { id } } })),
  });
}

/** The election, its results and turnout are read again after an admin's step. */
function useRefreshElection(id: string) {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: electionKeys.one(id) });
    void queryClient.invalidateQueries({ queryKey: electionKeys.results(id) });
    void queryClient.invalidateQueries({ queryKey: electionKeys.turnout(id) });
  };
}

/** Creates a draft election of the association. */
export function useCreateElection(association: string, options?: MutationOptions<Election, RequestBody<'/api/v1/associations/{id}/elections', 'post'>>) {
  return useMutation({
    mutationFn: (body: RequestBody<'/api/v1/associations/{id}/elections', 'post'>) =>
      unwrap(api.POST('/api/v1/associations/{id}/elections', { params: { path: { id: association } }, body })),
    ...options,
  });
}

/** Adds a candidate to a draft; the election shown becomes the answer. */
export function useAddCandidate(id: string, options?: MutationOptions<Election, RequestBody<'/api/v1/elections/{id}/candidates', 'post'>>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: RequestBody<'/api/v1/elections/{id}/candidates', 'post'>) => unwrap(api.POST('/api/v1/elections/{id}/candidates', { params: { path: { id } }, body })),
    ...options,
    onSuccess: thenAlso((e) => queryClient.setQueryData(electionKeys.one(id), e), options?.onSuccess),
  });
}

/** One of the admins' steps; `reason` is for a cancellation. */
export function useElectionStep(id: string, options?: MutationOptions<unknown, { step: Step; reason: string }>) {
  const refresh = useRefreshElection(id);
  return useMutation({
    mutationFn: async ({ step, reason }: { step: Step; reason: string }) => {
      const path = { params: { path: { id } } };
      if (step === 'publish') return unwrap(api.POST('/api/v1/elections/{id}/publish', path));
      if (step === 'cancel') return unwrap(api.POST('/api/v1/elections/{id}/cancel', { ...path, body: { reason } }));
      if (step === 'tally') return unwrap(api.POST('/api/v1/elections/{id}/tally', path));
      if (step === 'restart') return unwrap(api.POST('/api/v1/elections/{id}/ceremony/restart', path));
      return unwrap(api.POST('/api/v1/elections/{id}/publish-results', path));
    },
    ...options,
    onSuccess: thenAlso(refresh, options?.onSuccess),
  });
}

/** Extends an open election's end, with the reason announced. */
export function useExtendElection(id: string, options?: MutationOptions<Election, RequestBody<'/api/v1/elections/{id}/extend', 'post'>>) {
  const refresh = useRefreshElection(id);
  return useMutation({
    mutationFn: (body: RequestBody<'/api/v1/elections/{id}/extend', 'post'>) => unwrap(api.POST('/api/v1/elections/{id}/extend', { params: { path: { id } }, body })),
    ...options,
    onSuccess: thenAlso(refresh, options?.onSuccess),
  });
}

/** The public ballot box, and one entry by tracking code (absent: a 404, not retried). */
export function useBulletin(id: string) {
  return useQuery({ queryKey: electionKeys.bulletin(id), queryFn: () => unwrap(api.GET('/api/v1/elections/{id}/bulletin', { params: { path: { id } } })) });
}

export function useBulletinEntry(id: string, code: string) {
  return useQuery({
    queryKey: electionKeys.bulletinEntry(id, code),
    enabled: code !== '',
    retry: false,
    queryFn: () => unwrap(api.GET('/api/v1/elections/{id}/bulletin/{code}', { params: { path: { id, code } } })),
  });
}

/** The voter's standing in the election (whether they may vote, have voted, time left). */
export function useMyVote(id: string) {
  return useQuery({ queryKey: electionKeys.myVote(id), queryFn: () => unwrap(api.GET('/api/v1/elections/{id}/my-vote', { params: { path: { id } } })) });
}

/** For the inbound-SMS channel: asked every two seconds until the voter's text has arrived. */
export function useSmsConfirmation(id: string, enabled: boolean) {
  return useQuery({
    queryKey: electionKeys.myVoteSms(id),
    enabled,
    refetchInterval: (q) => (q.state.data?.confirmed_by_sms ? false : 2000),
    queryFn: () => unwrap(api.GET('/api/v1/elections/{id}/my-vote', { params: { path: { id } } })),
  });
}

export function useRequestVoteCode(id: string, options?: MutationOptions<Schemas['CodeIssued'], Channel>) {
  return useMutation({
    mutationFn: (channel: Channel) => unwrap(api.POST('/api/v1/elections/{id}/vote-code', { params: { path: { id } }, body: { channel } })),
    ...options,
  });
}

/** Sends the code by e-mail instead (when the SMS does not come). */
export function useEmailVoteCode(id: string, options?: MutationOptions<Schemas['CodeIssued']>) {
  return useMutation({ mutationFn: () => unwrap(api.POST('/api/v1/elections/{id}/vote-code/email', { params: { path: { id } } })), ...options });
}

/** Casts the sealed ballot with the one-time code; the voter's standing is read again. */
export function useCastBallot(id: string, options?: MutationOptions<Schemas['Cast'], RequestBody<'/api/v1/elections/{id}/ballot', 'post'>>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: RequestBody<'/api/v1/elections/{id}/ballot', 'post'>) => unwrap(api.POST('/api/v1/elections/{id}/ballot', { params: { path: { id } }, body })),
    ...options,
    onSuccess: thenAlso(() => void queryClient.invalidateQueries({ queryKey: electionKeys.myVote(id) }), options?.onSuccess),
  });
}

/** The key ceremony's state; kept current every four seconds while others take their steps. */
export function useCeremony(id: string) {
  return useQuery({
    queryKey: electionKeys.ceremony(id),
    queryFn: () => unwrap(api.GET('/api/v1/elections/{id}/ceremony', { params: { path: { id } } })),
    refetchInterval: (q) => (q.state.data && q.state.data.phase !== 'done' && q.state.data.status === 'draft' ? 4000 : false),
  });
}

/**
 * The trustee's calls, for the steps that compute between them on the device (the arithmetic
 * stays in the page; each call returns the ceremony as it now is).
 */
export const trusteeCalls = {
  transport: (id: string, body: RequestBody<'/api/v1/elections/{id}/ceremony/transport', 'post'>) =>
    unwrap(api.POST('/api/v1/elections/{id}/ceremony/transport', { params: { path: { id } }, body })),
  dealing: (id: string, body: RequestBody<'/api/v1/elections/{id}/ceremony/dealing', 'post'>) =>
    unwrap(api.POST('/api/v1/elections/{id}/ceremony/dealing', { params: { path: { id } }, body })),
  confirm: (id: string, body: RequestBody<'/api/v1/elections/{id}/ceremony/confirm', 'post'>) =>
    unwrap(api.POST('/api/v1/elections/{id}/ceremony/confirm', { params: { path: { id } }, body })),
  aggregate: (id: string) => unwrap(api.GET('/api/v1/elections/{id}/aggregate', { params: { path: { id } } })),
  partialDecryption: (id: string, body: RequestBody<'/api/v1/elections/{id}/partial-decryption', 'post'>) =>
    unwrap(api.POST('/api/v1/elections/{id}/partial-decryption', { params: { path: { id } }, body })),
};

/** After a trustee's step: the ceremony shown becomes the answer, and the duties are read again. */
export function useAfterTrusteeStep(id: string) {
  const queryClient = useQueryClient();
  return (c: Schemas['Ceremony']) => {
    queryClient.setQueryData(electionKeys.ceremony(id), c);
    void queryClient.invalidateQueries({ queryKey: electionKeys.trusteeships });
  };
}
