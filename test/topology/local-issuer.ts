/**
 * The municipality's identity provider, as far as the apps see it: a JWKS served over HTTP and tokens signed with its
 * private key. The apps only ever get the JWKS URL, as in production (AUTH_JWKS_URL).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

export interface LocalIssuer {
  issuer: string;
  jwksUrl: string;
  token(role: 'admin' | 'caseworker' | 'auditor' | 'integration', tenant: string): Promise<string>;
  close(): Promise<void>;
}

export const startLocalIssuer = async (audience: string): Promise<LocalIssuer> => {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const kid = 'topology-test-key';
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }] });
  let server: Server | undefined;
  const port = await new Promise<number>((resolve) => {
    server = createServer((request, response) => {
      if (request.url !== '/.well-known/jwks.json') return void response.writeHead(404).end();
      response.writeHead(200, { 'content-type': 'application/json' }).end(jwks);
    });
    server.listen(0, '127.0.0.1', () => resolve((server?.address() as AddressInfo).port));
  });
  const issuer = `http://127.0.0.1:${port}`;
  return {
    issuer,
    jwksUrl: `${issuer}/.well-known/jwks.json`,
    token: (role, tenant) =>
      new SignJWT({ tenant, role })
        .setProtectedHeader({ alg: 'ES256', kid })
        .setSubject(`topology-${role}`)
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(privateKey),
    close: () =>
      new Promise((resolve) => {
        if (!server) return resolve();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};
