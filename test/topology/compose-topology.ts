/**
 * docker-compose.yml read as the topology test's description of the deployment: the services built from
 * deploy/Dockerfile, each with the command, environment, secrets, volumes and healthcheck compose gives it, and the
 * `${VAR:-default}` interpolation compose applies. What the test starts is what compose would start.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CORE_SCHEMA, load, mergeTag } from 'js-yaml';
import { repoRoot } from '#libs/testing';

export const composeFile = path.join(repoRoot, 'docker-compose.yml');

interface ComposeService {
  image?: string;
  build?: { dockerfile?: string; target?: string };
  profiles?: string[];
  command?: string | string[];
  environment?: Record<string, string | number | boolean | null>;
  secrets?: string[];
  volumes?: string[];
  healthcheck?: { test?: string[] };
}

interface ComposeFile {
  services: Record<string, ComposeService>;
  secrets?: Record<string, { file?: string }>;
  volumes?: Record<string, unknown>;
}

/** One app as compose runs it, with what a container would see spelled out. */
export interface AppService {
  name: string;
  /** The command's arguments after `node`, e.g. `dist/apps/waitlist/src/main.js`. */
  script: string;
  /** The environment after interpolation, as the container gets it (secret paths still under /run/secrets). */
  environment: Record<string, string>;
  secrets: string[];
  /** Named volumes by their mount point in the container. */
  volumes: Record<string, string>;
  /** The path the healthcheck asks for (e.g. /health/ready). */
  healthPath: string;
}

export const readCompose = (file = composeFile): ComposeFile =>
  load(readFileSync(file, 'utf8'), { schema: CORE_SCHEMA.withTags(mergeTag) }) as ComposeFile;

/** Compose's interpolation: `${VAR}`, `${VAR:-default}`, `${VAR-default}` and `$$` for a literal dollar. */
export const interpolate = (value: string, variables: Record<string, string | undefined>): string =>
  value.replace(/\$\$|\$\{(\w+)(?:(:?-)([^}]*))?\}/g, (match, name?: string, operator?: string, fallback = '') => {
    if (!name) return '$';
    const given = variables[name];
    if (operator === ':-') return given ? given : fallback;
    if (operator === '-') return given ?? fallback;
    if (given === undefined) throw new Error(`${composeFile}: ${match} is not set and has no default`);
    return given;
  });

const builtFromOurDockerfile = (service: ComposeService) =>
  service.build?.dockerfile === 'deploy/Dockerfile' && service.build.target === 'runtime' && !service.profiles;

/** Every app compose starts by default, in file order, with `variables` interpolated as the operator's shell would. */
export const appServices = (
  variables: Record<string, string | undefined>,
  compose: ComposeFile = readCompose(),
): AppService[] =>
  Object.entries(compose.services)
    .filter(([, service]) => builtFromOurDockerfile(service))
    .map(([name, service]) => {
      const command = typeof service.command === 'string' ? service.command.split(/\s+/) : (service.command ?? []);
      const [program, script, ...rest] = command;
      if (program !== 'node' || !script || rest.length > 0) {
        throw new Error(`${name}: the test runs commands of the form \`node <script>\`, not ${command.join(' ')}`);
      }
      const environment = Object.fromEntries(
        Object.entries(service.environment ?? {}).map(([key, value]) => [
          key,
          interpolate(String(value ?? ''), variables),
        ]),
      );
      const volumes = Object.fromEntries(
        (service.volumes ?? []).map((volume) => {
          const [source = '', target = ''] = volume.split(':');
          return [target, source];
        }),
      );
      const healthPath = (service.healthcheck?.test ?? []).join(' ').match(/https?:\/\/[^/'"]+(\/[\w/-]+)/)?.[1];
      if (!healthPath) throw new Error(`${name}: its healthcheck names no http URL to ask`);
      return { name, script, environment, secrets: service.secrets ?? [], volumes, healthPath };
    });

/** The topics compose provisions before the apps start (its `kafka-topics` service), with their partitions. */
export const provisionedTopics = (compose: ComposeFile = readCompose()): { topic: string; numPartitions: number }[] => {
  const listed = String(compose.services['kafka-topics']?.environment?.TOPICS ?? '');
  return listed
    .split(/\s+/)
    .filter(Boolean)
    .map((entry) => {
      const [topic = '', partitions = ''] = entry.split(':');
      return { topic, numPartitions: Number(partitions) };
    });
};
