// @ts-check
/**
 * jest for every tier (ADR 0012). The specs run from their TypeScript sources through @swc/jest (ES modules,
 * decorators with their metadata), so `npm test -- <file.ts>`, `-t`, `--watch` and `--coverage` behave as jest
 * users expect. The integration and end-to-end tiers share one global setup (embedded PostgreSQL and a Kafka broker);
 * the unit tier has none and needs no server.
 */
import { execFileSync } from 'node:child_process';

/** @type {import('@swc/core').Options} */
const swc = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    target: 'es2022',
    keepClassNames: true,
    experimental: { keepImportAttributes: true },
  },
  module: { type: 'es6' },
  sourceMaps: 'inline',
};

const onPath = (/** @type {string} */ command) => {
  try {
    execFileSync(command, ['-version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

// Without a broker given and without Java to start one, Kafka specs are left out, and the setup says so; in CI
// (REQUIRE_KAFKA=1) they are always listed, so a broker that cannot start fails the run instead.
const kafkaSpecs = '/[^/]*(kafka|relay)[^/]*\\.spec\\.ts$';
const leftOut = [];
if (!process.env.KAFKA_BROKERS && process.env.REQUIRE_KAFKA !== '1' && !onPath('java')) {
  leftOut.push(kafkaSpecs);
  process.env.KULTURSKOLE_KAFKA_LEFT_OUT = 'no java on PATH to start a broker, and KAFKA_BROKERS is not set';
}
// The EventStoreDB contract suite needs a reachable server (the docker-compose `test` profile); the adapter's pure
// unit specs run everywhere.
if (!process.env.EVENTSTORE_CONNECTION_STRING) leftOut.push('/eventstoredb/[^/]*\\.int\\.spec\\.ts$');

/** @type {import('jest').Config} */
const common = {
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'],
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', swc] },
  moduleNameMapper: {
    '^#libs/(.*)$': '<rootDir>/libs/$1/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testPathIgnorePatterns: ['/node_modules/', ...leftOut],
  snapshotFormat: { escapeString: false, printBasicPrototype: false },
};

/** The servers' tiers: started once for both, stopped after both. */
const withServers = {
  globalSetup: '<rootDir>/dist/test/jest/global-setup.js',
  globalTeardown: '<rootDir>/dist/test/jest/global-teardown.js',
};

const tiers = [
  { ...common, displayName: 'unit', testMatch: ['**/*.unit.spec.ts'] },
  { ...common, ...withServers, displayName: 'integration', testMatch: ['**/*.int.spec.ts'] },
  { ...common, ...withServers, displayName: 'e2e', testMatch: ['**/*.e2e.spec.ts'] },
];
// `npm run test:unit` picks its tier here, not with --selectProjects, whose list would swallow a path given after it.
const only = process.env.TEST_TIERS?.split(',');

/** @type {import('jest').Config} */
export default {
  projects: only ? tiers.filter((tier) => only.includes(tier.displayName)) : tiers,
  // Per test; the servers' specs wait on real processes (a broker restart, a killed relay) within one test.
  testTimeout: 300_000,
  maxWorkers: 2,
  coverageProvider: 'v8',
  collectCoverageFrom: ['{apps,libs}/**/*.ts', '!**/*.spec.ts', '!**/fixtures/**', '!**/main.ts'],
  coverageReporters: ['text-summary', 'lcov'],
};
