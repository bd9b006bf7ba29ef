import { describe, expect, it } from '@jest/globals';
import { loadConfig, type LocalSigningKey, type Runtime } from '#libs/platform';
import { DashboardHostModule } from './dashboard-host.module.js';
import { LocalSignInController } from './local-sign-in.controller.js';

const runtimeWith = (env: Record<string, string>, localKey?: LocalSigningKey) =>
  ({ config: loadConfig({ PERSONAL_DATA_MASTER_KEY: 'x', ...env }), localKey }) as unknown as Runtime;
const key = {} as LocalSigningKey;

describe('the dashboard host', () => {
  it('offers the local sign-in where this process signs its own tokens, outside production', () => {
    expect(DashboardHostModule.forRuntime(runtimeWith({}, key)).controllers).toContain(LocalSignInController);
  });

  it('offers no local sign-in in production, even with a local key', () => {
    const module = DashboardHostModule.forRuntime(runtimeWith({ NODE_ENV: 'production' }, key));
    expect(module.controllers).not.toContain(LocalSignInController);
  });

  it('offers no local sign-in where tokens come from the identity provider (a JWKS, no local key)', () => {
    const runtime = runtimeWith({
      AUTH_JWKS_URL: 'https://login.example.no/jwks',
      DASHBOARD_OIDC_ISSUER: 'https://login.example.no',
      DASHBOARD_OIDC_CLIENT_ID: 'kulturskole-dashboard',
    });
    const module = DashboardHostModule.forRuntime(runtime);
    expect(module.controllers).not.toContain(LocalSignInController);
    const settings = module.providers?.find(
      (p) => typeof p === 'object' && 'useValue' in p && 'oidc' in (p.useValue as object),
    );
    expect(settings).toMatchObject({
      useValue: {
        localSignIn: null,
        oidc: { issuer: 'https://login.example.no', clientId: 'kulturskole-dashboard', scope: 'openid' },
      },
    });
  });
});
