/**
 * A real OpenID Connect provider (oidc-provider, the certified Node implementation) in the test process, on a free
 * port: staff sign in with the authorization code flow and PKCE, systems get tokens with client credentials, and
 * access tokens are JWTs for the resource (audience) asked for, as Entra ID, ID-porten and Maskinporten issue them.
 * Its one shortcut is the interaction: the account named in `login_hint` is signed in and consents at once, where a
 * real provider shows a login page.
 */
import { createHash, randomBytes } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider, { type ClientMetadata, type InteractionResults } from 'oidc-provider';

/** Claims the provider adds to an access token: per staff account (by id) or per system (by client id). */
export type ExtraClaims = Record<string, unknown>;

export interface LocalOidcProviderOptions {
  /** Staff accounts: id → the claims their access tokens carry (groups, roles, pid, acr…). */
  accounts?: Record<string, ExtraClaims>;
  /** Systems: client id → secret, allowed scopes and the claims their tokens carry (consumer…). */
  systems?: Record<string, { secret: string; scope: string; claims?: ExtraClaims; accessTokenTtlSeconds?: number }>;
  /** More clients, e.g. the dashboard as a public client. */
  clients?: ClientMetadata[];
}

export interface LocalOidcProvider {
  issuer: string;
  /** A system's access token (client credentials, as Maskinporten), for `resource` as audience. */
  systemToken(clientId: string, options: { resource: string; scope?: string }): Promise<string>;
  /** A staff member's access token through the code flow with PKCE, driven over HTTP like a browser would. */
  staffToken(accountId: string, options: { resource: string }): Promise<string>;
  close(): Promise<void>;
}

/** The scope a staff client asks for at the resource: the API's own, which every resource server here accepts. */
export const STAFF_API_SCOPE = 'kulturskole';
const STAFF_CLIENT = { id: 'kulturskole-staff', secret: 'staff-secret', redirectUri: 'http://127.0.0.1/callback' };

const base64url = (bytes: Buffer) => bytes.toString('base64url');

export const startLocalOidcProvider = async (options: LocalOidcProviderOptions = {}): Promise<LocalOidcProvider> => {
  const accounts = options.accounts ?? {};
  const systems = options.systems ?? {};
  // The issuer is the URL, so the port must be known before the provider is made: listen first, hand over after.
  let handle: (request: IncomingMessage, response: ServerResponse) => void = (_request, response) =>
    response.writeHead(503).end();
  const server = http.createServer((request, response) => handle(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const systemScopes = Object.values(systems).flatMap(({ scope }) => scope.split(' '));

  // Its own signing key (RS256, as Entra ID and ID-porten sign), not the library's development keys.
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), kid: `key-${randomBytes(4).toString('hex')}`, use: 'sig' };

  const provider = new Provider(issuer, {
    jwks: { keys: [signingKey] },
    clients: [
      {
        client_id: STAFF_CLIENT.id,
        client_secret: STAFF_CLIENT.secret,
        redirect_uris: [STAFF_CLIENT.redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
      ...Object.entries(systems).map(([clientId, system]) => ({
        client_id: clientId,
        client_secret: system.secret,
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        scope: system.scope,
        token_endpoint_auth_method: 'client_secret_post' as const,
      })),
      ...(options.clients ?? []),
    ],
    scopes: ['openid', STAFF_API_SCOPE, ...systemScopes],
    findAccount: (_context, accountId) =>
      accountId in accounts ? { accountId, claims: () => ({ sub: accountId }) } : undefined,
    interactions: { url: (_context, interaction) => `/interaction/${interaction.uid}` },
    cookies: { keys: [randomBytes(16).toString('hex')] },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        useGrantedResource: () => true,
        // Any resource is a JWT audience here, so a test can ask for a token meant for another API.
        getResourceServerInfo: (_context, resource) => ({
          audience: resource,
          scope: [STAFF_API_SCOPE, ...systemScopes].join(' '),
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
    ttl: {
      ClientCredentials: (_context, _token, client) => systems[client.clientId]?.accessTokenTtlSeconds ?? 600,
    },
    extraTokenClaims: (_context, token) => {
      if ('accountId' in token && token.accountId) return accounts[token.accountId];
      return systems[token.clientId ?? '']?.claims;
    },
  });
  provider.on('server_error', (_context, error) => console.error('oidc-provider:', error));

  // The shortcut: whoever `login_hint` names signs in, and consents to what the client asked.
  const interact = async (request: IncomingMessage, response: ServerResponse) => {
    const details = await provider.interactionDetails(request, response);
    let result: InteractionResults;
    if (details.prompt.name === 'login') {
      result = { login: { accountId: String(details.params.login_hint) } };
    } else {
      const grant = new provider.Grant({
        accountId: details.session?.accountId,
        clientId: String(details.params.client_id),
      });
      const missing = details.prompt.details as {
        missingOIDCScope?: string[];
        missingResourceScopes?: Record<string, string[]>;
      };
      if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
      for (const [resource, scopes] of Object.entries(missing.missingResourceScopes ?? {}))
        grant.addResourceScope(resource, scopes.join(' '));
      result = { consent: { grantId: await grant.save() } };
    }
    await provider.interactionFinished(request, response, result, { mergeWithLastSubmission: false });
  };
  const callback = provider.callback();
  handle = (request, response) => {
    if (request.url?.startsWith('/interaction/')) {
      interact(request, response).catch((error: Error) => response.writeHead(500).end(error.message));
    } else callback(request, response);
  };

  const tokenRequest = async (form: Record<string, string>): Promise<string> => {
    const response = await fetch(`${issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form),
    });
    const body = (await response.json()) as { access_token?: string };
    if (!response.ok || !body.access_token)
      throw new Error(`token endpoint ${response.status}: ${JSON.stringify(body)}`);
    return body.access_token;
  };

  return {
    issuer,
    systemToken: (clientId, { resource, scope }) =>
      tokenRequest({
        grant_type: 'client_credentials',
        client_id: clientId,
        client_secret: systems[clientId]?.secret ?? '',
        scope: scope ?? systems[clientId]?.scope ?? '',
        resource,
      }),
    async staffToken(accountId, { resource }) {
      const verifier = base64url(randomBytes(32));
      const authorize = new URL(`${issuer}/auth`);
      authorize.search = new URLSearchParams({
        client_id: STAFF_CLIENT.id,
        response_type: 'code',
        redirect_uri: STAFF_CLIENT.redirectUri,
        scope: `openid ${STAFF_API_SCOPE}`,
        resource,
        login_hint: accountId,
        state: base64url(randomBytes(16)),
        code_challenge: base64url(createHash('sha256').update(verifier).digest()),
        code_challenge_method: 'S256',
      }).toString();
      const code = await followToCallback(authorize.toString(), STAFF_CLIENT.redirectUri);
      return tokenRequest({
        grant_type: 'authorization_code',
        code,
        redirect_uri: STAFF_CLIENT.redirectUri,
        client_id: STAFF_CLIENT.id,
        client_secret: STAFF_CLIENT.secret,
        code_verifier: verifier,
        resource,
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

/** Follows the provider's redirects as a browser does, cookies included, until it sends the code to the client. */
const followToCallback = async (start: string, redirectUri: string): Promise<string> => {
  const cookies = new Map<string, string>();
  let url = start;
  for (let hop = 0; hop < 10; hop++) {
    const response = await fetch(url, {
      redirect: 'manual',
      headers: { cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; ') },
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const split = pair.indexOf('=');
      const [name, value] = [pair.slice(0, split), pair.slice(split + 1)];
      if (value) cookies.set(name, value);
      else cookies.delete(name); // cleared by the provider
    }
    const location = response.headers.get('location');
    if (!location) throw new Error(`${url} answered ${response.status} without a redirect: ${await response.text()}`);
    const next = new URL(location, url);
    if (next.toString().startsWith(redirectUri)) {
      const code = next.searchParams.get('code');
      if (!code) throw new Error(`the provider refused: ${next.searchParams.get('error_description') ?? location}`);
      return code;
    }
    url = next.toString();
  }
  throw new Error('the sign-in did not reach the client in 10 redirects');
};
