import { startAppUnderTest, type AppUnderTest } from '#libs/testing';
import { setupOpenApi } from '#libs/query';
import { HostModule } from '../../../apps/host/src/host.module.js';
import { hostMigrations } from '../../../apps/host/src/migrations.js';
import type { OpenApiDocument } from './open-api.js';

/** The host (every service in one process) as `npm start` serves it, with its OpenAPI document at `/docs-json`. */
export const startHostWithDocument = async (): Promise<{ sut: AppUnderTest; document: OpenApiDocument }> => {
  const sut = await startAppUnderTest((runtime) => HostModule.forRuntime(runtime), {
    migrations: hostMigrations,
    beforeListen: (app) =>
      setupOpenApi(app, { title: 'Kulturskole platform', description: 'Contract test', version: '1' }),
  });
  const response = await fetch(`${sut.baseUrl}/docs-json`);
  if (!response.ok) throw new Error(`/docs-json answered ${response.status}`);
  return { sut, document: (await response.json()) as OpenApiDocument };
};
