import path from 'node:path';
import os from 'node:os';
import { mkdtemp, rm } from 'node:fs/promises';
import { SignJWT, UnsecuredJWT } from 'jose';
import { Module, type DynamicModule } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Migration } from '#libs/database';
import {
  createHttpApp,
  issueToken,
  loadConfig,
  PlatformModule,
  startRuntime,
  type Clock,
  type Principal,
  type Runtime,
  type TokenRole,
} from '#libs/platform';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export interface AppUnderTest {
  app: NestFastifyApplication;
  runtime: Runtime;
  db: TestDatabase;
  baseUrl: string;
  /** A valid token for the role (tenant trondheim unless given). */
  token(role: TokenRole, tenant?: string): Promise<string>;
  /** Tokens that must be refused: expired, wrong issuer, wrong audience, unsigned. */
  badTokens(): Promise<Record<string, string>>;
  request(
    method: string,
    url: string,
    options?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<{
    status: number;
    headers: Headers;
    body: unknown;
  }>;
  close(): Promise<void>;
}

/** The app a spec boots: the platform and the modules under test, e.g. `startAppUnderTest(platformWith(RelayModule))`. */
export const platformWith =
  (...imports: NonNullable<DynamicModule['imports']>) =>
  (runtime: Runtime): DynamicModule => {
    @Module({})
    class AppOfTheSpec {}
    return { module: AppOfTheSpec, imports: [PlatformModule.forRuntime(runtime), ...imports] };
  };

/** Boots a real app on a fresh database with the embedded-default auth (a local key), listening on a free port. */
export const startAppUnderTest = async (
  module: (runtime: Runtime) => unknown,
  options: {
    migrations?: readonly Migration[];
    env?: Record<string, string>;
    clock?: Clock;
    /** Runs after the app is created and before it listens, as runApp's does (e.g. to serve `/docs-json`). */
    beforeListen?: (app: NestFastifyApplication) => Promise<void>;
  } = {},
): Promise<AppUnderTest> => {
  const db = await createTestDatabase('app');
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'kulturskole-app-'));
  const config = loadConfig({
    DATABASE_URL: db.url,
    DATA_DIR: dataDir,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    PORT: '0',
    ...options.env,
  });
  const runtime = await startRuntime(config, {
    migrations: options.migrations,
    applicationName: 'test',
    clock: options.clock,
  });
  const app = await createHttpApp(module(runtime), runtime);
  await options.beforeListen?.(app);
  await app.listen(0, '127.0.0.1');
  const baseUrl = await app.getUrl();
  const key = runtime.localKey;
  if (!key) throw new Error('tests run with the local key');
  const sign = (principal: Principal, issuer = config.AUTH_ISSUER, audience = config.AUTH_AUDIENCE, expiresIn = '5m') =>
    issueToken(key, principal, { issuer, audience, expiresIn });

  return {
    app,
    runtime,
    db,
    baseUrl,
    token: (role, tenant = 'trondheim') => sign({ subject: `${role}-1`, tenant, role }),
    async badTokens() {
      const principal = { subject: 'x', tenant: 'trondheim', role: 'admin' as const };
      return {
        expired: await new SignJWT({ tenant: 'trondheim', role: 'admin' })
          .setProtectedHeader({ alg: 'ES256' })
          .setSubject('x')
          .setIssuer(config.AUTH_ISSUER)
          .setAudience(config.AUTH_AUDIENCE)
          .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
          .sign(key.privateKey),
        wrongIssuer: await sign(principal, 'someone-else'),
        wrongAudience: await sign(principal, config.AUTH_ISSUER, 'another-system'),
        unsigned: new UnsecuredJWT({ tenant: 'trondheim', role: 'admin' })
          .setSubject('x')
          .setIssuer(config.AUTH_ISSUER)
          .setAudience(config.AUTH_AUDIENCE)
          .setExpirationTime('5m')
          .encode(),
        garbage: 'not-a-token',
      };
    },
    async request(method, url, { token, body, headers = {} } = {}) {
      const response = await fetch(`${baseUrl}${url}`, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body !== undefined && typeof body !== 'string' ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: keep the text
      }
      return { status: response.status, headers: response.headers, body: parsed };
    },
    async close() {
      await app.close();
      await runtime.stop();
      await db.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
};
