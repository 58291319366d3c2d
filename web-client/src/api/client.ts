import createClient from 'openapi-fetch';
import i18n from '../i18n';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];
export type ErrorBody = Schemas['ErrorBody'];
export type TokenResponse = Schemas['TokenResponse'];
export type Me = Schemas['MeResponse'];

/** An error answer of the API: the envelope `{code, message, fields}` with its status. */
export class ApiProblem extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: Record<string, string[]>;

  constructor(status: number, body: Partial<ErrorBody> | undefined, fallback: string) {
    super(body?.message || fallback);
    this.status = status;
    this.code = body?.code ?? 'network_error';
    this.fields = (body?.fields as Record<string, string[]> | undefined) ?? {};
  }
}

// The access token lives in memory only; the refresh token is an httpOnly cookie the page
// cannot read. After a reload the session is restored by a refresh.
let accessToken: string | null = null;
let onSessionLost: (() => void) | null = null;
let refreshing: Promise<TokenResponse | null> | null = null;

// A harmless hint (not a secret) that a refresh cookie may exist, so an anonymous visit does
// not start with a refresh request that can only fail.
const SESSION_HINT = 'anjoman.session';

export function setAccessToken(token: string | null): void {
  accessToken = token;
  if (token) localStorage.setItem(SESSION_HINT, '1');
  else localStorage.removeItem(SESSION_HINT);
}

/** The current access token, for requests made outside the typed client (uploads). */
export function currentAccessToken(): string | null {
  return accessToken;
}

export function mayHaveSession(): boolean {
  return localStorage.getItem(SESSION_HINT) === '1';
}

export function setSessionLostHandler(handler: (() => void) | null): void {
  onSessionLost = handler;
}

/** Exchanges the refresh cookie for new tokens; one refresh at a time for the whole page. */
export function refreshSession(): Promise<TokenResponse | null> {
  refreshing ??= (async () => {
    try {
      const res = await fetch('/api/v1/auth/refresh', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', 'accept-language': i18n.language },
        body: JSON.stringify({ use_cookie: true }),
      });
      if (!res.ok) {
        setAccessToken(null);
        return null;
      }
      const tokens = (await res.json()) as TokenResponse;
      setAccessToken(tokens.access_token);
      return tokens;
    } catch {
      return null;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

function withAuth(request: Request): Request {
  const headers = new Headers(request.headers);
  headers.set('accept-language', i18n.language);
  if (accessToken) headers.set('authorization', `Bearer ${accessToken}`);
  return new Request(request, { headers, credentials: 'same-origin' });
}

/** Sends with the access token; on 401 refreshes once and retries. */
async function authFetch(request: Request): Promise<Response> {
  const retry = request.clone();
  const response = await fetch(withAuth(request));
  const isAuthCall = new URL(request.url).pathname.startsWith('/api/v1/auth/');
  if (response.status !== 401 || isAuthCall || !accessToken) return response;
  const tokens = await refreshSession();
  if (!tokens) {
    onSessionLost?.();
    return response;
  }
  return fetch(withAuth(retry));
}

export const api = createClient<paths>({ baseUrl: window.location.origin, fetch: authFetch });

/** The data of an openapi-fetch result, or the envelope thrown as an ApiProblem. */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch {
    throw new ApiProblem(0, undefined, i18n.t('errors.network'));
  }
  if (result.error !== undefined || !result.response.ok) {
    throw new ApiProblem(result.response.status, result.error as Partial<ErrorBody>, i18n.t('errors.network'));
  }
  return result.data as T;
}
