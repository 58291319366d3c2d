import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { api, mayHaveSession, refreshSession, setAccessToken, setSessionLostHandler, unwrap, type Me, type TokenResponse } from '../api/client';

type Status = 'restoring' | 'anonymous' | 'signed-in';

interface AuthState {
  status: Status;
  me: Me | undefined;
  mustChangePassword: boolean;
  /** Takes the tokens of a login. */
  signIn: (tokens: TokenResponse) => void;
  signOut: () => Promise<void>;
  sessionEnded: boolean;
  /** The person signed out on purpose (not a lost session): protected pages then go to the
   *  login page without offering to come back to themselves. */
  signedOut: boolean;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<Status>('restoring');
  const [sessionEnded, setSessionEnded] = useState(false);
  const [signedOut, setSignedOut] = useState(false);
  const timer = useRef<number | undefined>(undefined);

  // Refresh a minute before the access token expires, silently.
  const schedule = useCallback((tokens: TokenResponse) => {
    window.clearTimeout(timer.current);
    const ms = Math.max(10, tokens.expires_in - 60) * 1000;
    timer.current = window.setTimeout(async () => {
      const next = await refreshSession();
      if (next) schedule(next);
    }, ms);
  }, []);

  const signIn = useCallback(
    (tokens: TokenResponse) => {
      setAccessToken(tokens.access_token);
      setSessionEnded(false);
      setSignedOut(false);
      setStatus('signed-in');
      schedule(tokens);
      void queryClient.invalidateQueries({ queryKey: ['me'] });
    },
    [queryClient, schedule],
  );

  const clear = useCallback(() => {
    window.clearTimeout(timer.current);
    setAccessToken(null);
    setStatus('anonymous');
    queryClient.removeQueries({ queryKey: ['me'] });
  }, [queryClient]);

  const signOut = useCallback(async () => {
    try {
      await api.POST('/api/v1/auth/logout');
    } finally {
      setSignedOut(true);
      clear();
    }
  }, [clear]);

  useEffect(() => {
    setSessionLostHandler(() => {
      clear();
      setSessionEnded(true);
    });
    let cancelled = false;
    if (!mayHaveSession()) {
      setStatus('anonymous');
      return () => setSessionLostHandler(null);
    }
    void refreshSession().then((tokens) => {
      if (cancelled) return;
      if (tokens) signIn(tokens);
      else setStatus('anonymous');
    });
    return () => {
      cancelled = true;
      setSessionLostHandler(null);
      window.clearTimeout(timer.current);
    };
  }, [clear, signIn]);

  const meQuery = useQuery({
    queryKey: ['me'],
    queryFn: () => unwrap(api.GET('/api/v1/me')),
    enabled: status === 'signed-in',
    staleTime: 30_000,
  });

  const value = useMemo<AuthState>(
    () => ({
      status,
      me: status === 'signed-in' ? meQuery.data : undefined,
      mustChangePassword: meQuery.data?.must_change_password ?? false,
      signIn,
      signOut,
      sessionEnded,
      signedOut,
    }),
    [status, meQuery.data, signIn, signOut, sessionEnded, signedOut],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}
