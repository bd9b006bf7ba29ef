// Who is signed in: a token from the platform's issuer, kept for this browser tab only.
export type Role = 'admin' | 'caseworker' | 'auditor';

export interface Session {
  token: string;
  role: Role;
  tenant: string;
  subject: string;
  expiresAt: string;
}

export interface Settings {
  tenant: string;
  localSignIn: { roles: Role[] } | null;
  oidc: { issuer: string; clientId: string; scope: string } | null;
}

const KEY = 'kulturskole.session';

export const currentSession = (): Session | null => {
  const raw = sessionStorage.getItem(KEY);
  if (!raw) return null;
  const session = JSON.parse(raw) as Session;
  return Date.parse(session.expiresAt) > Date.now() ? session : null;
};

export const saveSession = (session: Session): void => sessionStorage.setItem(KEY, JSON.stringify(session));
export const signOut = (): void => sessionStorage.removeItem(KEY);

export const loadSettings = async (): Promise<Settings> => {
  const response = await fetch('/dashboard/settings');
  if (!response.ok) throw new Error(`Innstillingene kunne ikke leses (${response.status})`);
  return (await response.json()) as Settings;
};

/** `npm start`'s sign-in: the host issues a token for the role (never offered in production). */
export const signInLocally = async (role: Role): Promise<Session> => {
  const response = await fetch('/dashboard/local-sign-in', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ role }),
  });
  if (!response.ok) throw new Error(`Innloggingen ble avvist (${response.status})`);
  const session = (await response.json()) as Session & { token: string };
  saveSession(session);
  return session;
};

/**
 * A provider's token carries the provider's claims (groups, scopes), not the platform's: the platform says who that is
 * (`GET /dashboard/me`, through its configured mapping); the token's expiry is read from the token itself.
 */
export const sessionFromToken = async (token: string): Promise<Session> => {
  const response = await fetch('/dashboard/me', { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`Plattformen kjente ikke igjen innloggingen (${response.status})`);
  const me = (await response.json()) as { subject: string; tenant: string; role: Role };
  const part = token.split('.')[1] ?? '';
  const { exp } = JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/'))) as { exp: number };
  return {
    token,
    role: me.role,
    tenant: me.tenant,
    subject: me.subject,
    expiresAt: new Date(exp * 1000).toISOString(),
  };
};
