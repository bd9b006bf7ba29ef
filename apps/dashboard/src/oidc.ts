// Production sign-in: OpenID Connect authorization code flow with PKCE (RFC 7636) against the municipality's
// identity provider, a public client in the browser (no secret). The provider's access token carries the `tenant`
// and `role` claims the API verifies against AUTH_JWKS_URL (docs/adr/0015).
import { saveSession, sessionFromToken, type Settings } from './session';

const PENDING = 'kulturskole.oidc';

interface Discovery {
  authorization_endpoint: string;
  token_endpoint: string;
}

const base64url = (bytes: Uint8Array): string =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

const random = (): string => base64url(crypto.getRandomValues(new Uint8Array(32)));

const discover = async (issuer: string): Promise<Discovery> => {
  const response = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`);
  if (!response.ok) throw new Error(`Identitetsleverandøren svarte ${response.status}`);
  return (await response.json()) as Discovery;
};

const redirectUri = (): string => `${location.origin}/dashboard/`;

export const startOidcSignIn = async (oidc: NonNullable<Settings['oidc']>): Promise<void> => {
  const discovery = await discover(oidc.issuer);
  const verifier = random();
  const state = random();
  const challenge = base64url(
    new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))),
  );
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state }));
  const url = new URL(discovery.authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: oidc.clientId,
    redirect_uri: redirectUri(),
    scope: oidc.scope,
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();
  location.assign(url.toString());
};

/** On return from the provider (`?code=…&state=…`): the code and the verifier for the token. */
export const finishOidcSignIn = async (oidc: NonNullable<Settings['oidc']>): Promise<boolean> => {
  const params = new URLSearchParams(location.search);
  const code = params.get('code');
  const pending = sessionStorage.getItem(PENDING);
  if (!code || !pending) return false;
  sessionStorage.removeItem(PENDING);
  const { verifier, state } = JSON.parse(pending) as { verifier: string; state: string };
  if (params.get('state') !== state) throw new Error('Innloggingen kom ikke fra denne siden (state)');
  const discovery = await discover(oidc.issuer);
  const response = await fetch(discovery.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri(),
      client_id: oidc.clientId,
      code_verifier: verifier,
    }),
  });
  if (!response.ok) throw new Error(`Tokenet ble ikke utstedt (${response.status})`);
  const { access_token } = (await response.json()) as { access_token: string };
  saveSession(await sessionFromToken(access_token));
  history.replaceState(null, '', redirectUri());
  return true;
};
