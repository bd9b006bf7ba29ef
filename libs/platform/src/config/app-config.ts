import { readFileSync } from 'node:fs';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? value : Number(value));
/** One message per variable: what it expects, whichever rule failed. */
const expects = (message: string) => ({ message });

/** An integer from `min` to `max`, read from its text; `what` names it in the one message for every rule. */
const IntegerSetting =
  (min: number, max: number, what: string): PropertyDecorator =>
  (target, key) => {
    const message = expects(what);
    for (const decorate of [Transform(toInt), IsInt(message), Min(min, message), Max(max, message)])
      decorate(target, key);
  };

/** Every setting the apps read, validated once at start; property names are the environment variables. */
export class AppConfig {
  @IntegerSetting(0, 65535, 'an integer port 0–65535')
  PORT = 3000;

  @IsString() @MinLength(1, expects('a host name or address to listen on')) HOST = '127.0.0.1';

  @IsOptional() @Matches(/^postgres(ql)?:\/\/.+/, expects('a postgres:// connection string')) DATABASE_URL?: string;

  @IntegerSetting(1, 65535, 'an integer port 1–65535')
  EMBEDDED_POSTGRES_PORT = 54329;

  @IsString() @MinLength(1, expects('a folder for local data')) DATA_DIR = '.data';

  @IsIn(['postgres', 'eventstoredb'], expects('postgres or eventstoredb')) EVENT_STORE = 'postgres';

  @IsOptional()
  @Matches(/^(esdb|esdb\+discover|kurrentdb):\/\/.+/, expects('an esdb:// connection string'))
  EVENTSTORE_CONNECTION_STRING?: string;

  @IsOptional() @Matches(/^[\w.-]+:\d+(,[\w.-]+:\d+)*$/, expects('host:port[,host:port…]')) KAFKA_BROKERS?: string;

  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] }, expects('an http(s) URL of a JWKS'))
  AUTH_JWKS_URL?: string;

  @IsOptional()
  @IsString()
  @MinLength(1, expects('the path of a JSON file of policies per school year'))
  POLICIES_FILE?: string;

  // The dashboard's sign-in in production: OpenID Connect code flow with PKCE against this issuer (docs/adr/0015).
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] }, expects('an http(s) URL of an OpenID Connect issuer'))
  DASHBOARD_OIDC_ISSUER?: string;
  @IsOptional() @IsString() @MinLength(1, expects("the dashboard's OIDC client id")) DASHBOARD_OIDC_CLIENT_ID?: string;

  // The municipality's identity providers and the rules from their claims to tenant and role (docs/runbook.md).
  @IsOptional()
  @IsString()
  @MinLength(1, expects('the path of a JSON file of trusted identity providers'))
  IDENTITY_PROVIDERS_FILE?: string;

  @IsString() @MinLength(1, expects('the expected token issuer')) AUTH_ISSUER = 'kulturskole-local';
  @IsString() @MinLength(1, expects('the expected token audience')) AUTH_AUDIENCE = 'kulturskole';

  @Matches(/^[a-z][a-z0-9-]{1,39}$/, expects('a lower-case tenant id such as trondheim')) DEFAULT_TENANT = 'trondheim';

  /**
   * The longest a token may be valid: `exp - iat` (or `exp` - now when it has no `iat`). A longer-lived token is
   * refused (401) however well signed. 12 h by default, the lifetime of the tokens the local issuer prints at start.
   */
  @IntegerSetting(60, 7 * 24 * 3600, 'a token lifetime in seconds, 60–604800')
  TOKEN_MAX_LIFETIME_SECONDS = 12 * 3600;

  /**
   * The operators' tenant: its admin and integration tokens see what spans every tenant (metrics, refused calls
   * without a valid token in the access trail). No municipality's role sees them.
   */
  @Matches(/^[a-z][a-z0-9-]{1,39}$/, expects('a lower-case tenant id such as operations'))
  OPERATOR_TENANT = 'operations';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], expects('a log level such as info'))
  LOG_LEVEL = 'info';

  @IntegerSetting(1024, 10 * 1024 * 1024, 'a body size limit in bytes, 1024–10485760')
  BODY_LIMIT_BYTES = 64 * 1024;

  /** Requests one bearer token may make per RATE_LIMIT_WINDOW_SECONDS (429 with Retry-After beyond); 0 switches it off. */
  @IntegerSetting(0, 10_000_000, 'requests per window per token, 0 (off) to 10000000')
  RATE_LIMIT_PER_TOKEN = 600_000;

  /** Requests without a token one client address may make per window; 0 switches it off. */
  @IntegerSetting(0, 10_000_000, 'requests per window per address, 0 (off) to 10000000')
  RATE_LIMIT_PER_ADDRESS = 600_000;

  @IntegerSetting(1, 3600, 'a rate-limit window in seconds, 1–3600')
  RATE_LIMIT_WINDOW_SECONDS = 60;

  /** Skatteetaten's synthetic test numbers (month + 80) as national ids: for test and demo data, never in production. */
  @Transform(({ value }: { value: unknown }) => (value === '1' ? true : value === '0' ? false : value))
  @IsBoolean(expects('1 (accept synthetic test numbers) or 0'))
  ACCEPT_SYNTHETIC_NATIONAL_IDS = false;

  /** `production` makes a missing master key a stop at start instead of a key kept in DATA_DIR. */
  @IsOptional() @IsString() NODE_ENV?: string;

  // The personal-data master key ring (base64, 32 bytes each; checked where it is decoded). Secrets: never logged.
  @IsOptional() @IsString() PERSONAL_DATA_MASTER_KEY?: string;
  @IsOptional() @IsString() PERSONAL_DATA_PREVIOUS_MASTER_KEYS?: string;

  // Tamper evidence (docs/audit.md, Integrity): the Ed25519 key that signs the anchors, which the database never
  // holds (PEM, PKCS#8; a secret, never logged), or the file holding it; the public key verifiers trust, when given
  // apart; the auditor's anchor file (default DATA_DIR/audit-anchors.jsonl); how often the host seals (0: never).
  @IsOptional() @IsString() AUDIT_SIGNING_KEY?: string;
  @IsOptional() @IsString() @MinLength(1) AUDIT_SIGNING_KEY_FILE?: string;
  @IsOptional() @IsString() @MinLength(1) AUDIT_PUBLIC_KEY_FILE?: string;
  @IsOptional() @IsString() @MinLength(1) AUDIT_ANCHOR_FILE?: string;
  @IntegerSetting(0, 86_400, 'seconds between seals, 0–86400 (0: the host does not seal)')
  AUDIT_ANCHOR_INTERVAL_SECONDS = 60;

  /**
   * Shards a new version of each read model is split into by tenant, each run by one projector at a time (ADR 0020).
   * A version keeps the split it was built with; a change takes effect with the next version.
   */
  @IntegerSetting(1, 64, 'a number of shards, 1–64')
  PROJECTION_SHARDS = 1;

  /** The shards this projector runs first, such as 0 or 0,2; it takes over the others only while their home is away. */
  @IsOptional()
  @Matches(/^\d{1,2}(,\d{1,2})*$/, expects('shard numbers such as 0 or 0,2'))
  PROJECTION_HOME_SHARDS?: string;

  /**
   * Shards each process manager is split into by tenant, each run by one process at a time with its own checkpoint
   * (ADR 0022). Unlike a read model's, the split may change at any start: new shards begin at the lowest old position.
   */
  // Each held shard of each manager keeps a connection of the pool (20): three managers × 4 leave room for requests.
  @IntegerSetting(1, 4, 'a number of shards, 1–4')
  PROCESS_MANAGER_SHARDS = 1;

  /** The process-manager shards this process runs first; it takes over the others only while their home is away. */
  @IsOptional()
  @Matches(/^\d{1,2}(,\d{1,2})*$/, expects('shard numbers such as 0 or 0,2'))
  PROCESS_MANAGER_HOME_SHARDS?: string;
}

/** How a process splits work by tenant: the shard count, and the shards it runs first (all, when not named). */
export interface Sharding {
  shards: number;
  homeShards?: number[];
}

const shardingOf = (name: string, shards: number, homes: string | undefined): Sharding => {
  const homeShards = homes?.split(',').map(Number);
  const outside = homeShards?.find((shard) => shard >= shards);
  if (outside !== undefined)
    throw new ConfigError(
      `Configuration error: ${name}_HOME_SHARDS names shard ${outside}, but ${name}_SHARDS is ${shards} (shards 0–${shards - 1})`,
    );
  return { shards, ...(homeShards ? { homeShards } : {}) };
};

/** How this process splits and runs the read models (ProjectionsModule), from PROJECTION_SHARDS and _HOME_SHARDS. */
export const projectionSharding = (config: AppConfig): Sharding =>
  shardingOf('PROJECTION', config.PROJECTION_SHARDS, config.PROJECTION_HOME_SHARDS);

/** How this process splits and runs the process managers (ADR 0022), from PROCESS_MANAGER_SHARDS and _HOME_SHARDS. */
export const processManagerSharding = (config: AppConfig): Sharding =>
  shardingOf('PROCESS_MANAGER', config.PROCESS_MANAGER_SHARDS, config.PROCESS_MANAGER_HOME_SHARDS);

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Secrets an orchestrator mounts as files (Docker and Kubernetes secrets): `<NAME>_FILE` names the file, read once at
 * start with surrounding whitespace trimmed. Setting both the variable and its file is refused: which one wins?
 */
export const SECRET_FILE_VARIABLES = [
  'DATABASE_URL',
  'PERSONAL_DATA_MASTER_KEY',
  'PERSONAL_DATA_PREVIOUS_MASTER_KEYS',
] as const;

const withSecretFiles = (env: NodeJS.ProcessEnv): NodeJS.ProcessEnv => {
  const resolved = { ...env };
  for (const variable of SECRET_FILE_VARIABLES) {
    const file = env[`${variable}_FILE`];
    if (!file) continue;
    if (env[variable]) throw new ConfigError(`Configuration error: set ${variable} or ${variable}_FILE, not both`);
    try {
      resolved[variable] = readFileSync(file, 'utf8').trim();
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new ConfigError(
        `Configuration error: ${variable}_FILE names a file that cannot be read (${file}: ${reason})`,
      );
    }
    if (!resolved[variable])
      throw new ConfigError(`Configuration error: ${variable}_FILE names an empty file (${file})`);
  }
  return resolved;
};

/**
 * Whether the standard OTEL_* variables ask for traces: an OTLP endpoint (or OTEL_TRACES_EXPORTER naming an
 * exporter), and not OTEL_SDK_DISABLED or OTEL_TRACES_EXPORTER=none. Read on its own, before the app's config: the
 * tracing hook is loaded before anything else (observability/register.ts), and the SDK reads the rest of OTEL_* itself.
 */
export const tracingRequested = (environment: NodeJS.ProcessEnv = process.env): boolean => {
  if (environment.OTEL_SDK_DISABLED?.toLowerCase() === 'true') return false;
  const exporters = environment.OTEL_TRACES_EXPORTER?.split(',').map((e) => e.trim().toLowerCase());
  if (exporters?.includes('none')) return false;
  return Boolean(
    environment.OTEL_EXPORTER_OTLP_ENDPOINT || environment.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || exporters?.length,
  );
};

/** Reads the environment; a bad value stops the start with one line naming the variable and what it expects. */
export const loadConfig = (environment: NodeJS.ProcessEnv = process.env): AppConfig => {
  const env = withSecretFiles(environment);
  const known = new Set(Object.keys(new AppConfig()).concat(['DATABASE_URL', 'EVENTSTORE_CONNECTION_STRING']));
  known.add('KAFKA_BROKERS').add('AUTH_JWKS_URL').add('POLICIES_FILE').add('NODE_ENV');
  known.add('DASHBOARD_OIDC_ISSUER').add('DASHBOARD_OIDC_CLIENT_ID');
  known.add('IDENTITY_PROVIDERS_FILE').add('PROJECTION_HOME_SHARDS').add('PROCESS_MANAGER_HOME_SHARDS');
  known.add('PERSONAL_DATA_MASTER_KEY').add('PERSONAL_DATA_PREVIOUS_MASTER_KEYS');
  known.add('AUDIT_SIGNING_KEY').add('AUDIT_SIGNING_KEY_FILE').add('AUDIT_PUBLIC_KEY_FILE').add('AUDIT_ANCHOR_FILE');
  const given = Object.fromEntries(Object.entries(env).filter(([key, value]) => known.has(key) && value !== ''));
  const config = plainToInstance(AppConfig, given, { exposeDefaultValues: true });
  const [error] = validateSync(config, { stopAtFirstError: true });
  if (error) {
    const expected = Object.values(error.constraints ?? {})[0] ?? 'a valid value';
    // A secret read from a file is never echoed.
    const fromFile = environment[`${error.property}_FILE`];
    const got = fromFile ? `read from ${fromFile}` : `got ${JSON.stringify(env[error.property] ?? null)}`;
    throw new ConfigError(`Configuration error: ${error.property} must be ${expected} (${got})`);
  }
  return config;
};
