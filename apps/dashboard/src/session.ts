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

/** The token's own claims (role, tenant), read after the OIDC provider issued it; the API verifies it. */
export const sessionFromToken = (token: string): Session => {
  const part = token.split('.')[1] ?? '';
  const claims = JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/'))) as {
    sub: string;
    role: Role;
    tenant: string;
    exp: number;
  };
  return {
    token,
    role: claims.role,
    tenant: claims.tenant,
    subject: claims.sub,
    expiresAt: new Date(claims.exp * 1000).toISOString(),
  };
};
