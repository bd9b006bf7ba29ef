/**
 * deploy/k8s as `kubectl apply -k` would send it, as far as this repository uses Kustomize: the resources listed in
 * kustomization.yaml, the Secrets its secretGenerator makes (with stand-in data: the real files are never here), the
 * namespace set on each. Validated offline against the Kubernetes API's schemas as the kubernetes-models package ships
 * them (compiled from the OpenAPI definitions, checked with ajv).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { CORE_SCHEMA, load, loadAll } from 'js-yaml';
import { repoRoot } from '#libs/testing';

export const kustomizeFolder = path.join(repoRoot, 'deploy', 'k8s');

export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

interface Kustomization {
  namespace?: string;
  resources?: string[];
  secretGenerator?: { name: string; files?: string[] }[];
}

const readYaml = (file: string) => load(readFileSync(file, 'utf8'), { schema: CORE_SCHEMA });

/** Every object the kustomization makes, each with the file it came from. */
export const renderKustomization = (folder = kustomizeFolder): { object: KubernetesObject; source: string }[] => {
  const kustomization = readYaml(path.join(folder, 'kustomization.yaml')) as Kustomization;
  const withNamespace = (object: KubernetesObject): KubernetesObject =>
    object.kind === 'Namespace' || !kustomization.namespace
      ? object
      : { ...object, metadata: { ...object.metadata, namespace: kustomization.namespace } };
  const fromFiles = (kustomization.resources ?? []).flatMap((resource) =>
    (loadAll(readFileSync(path.join(folder, resource), 'utf8'), { schema: CORE_SCHEMA }) as KubernetesObject[])
      .filter((object) => object !== null)
      .map((object) => ({ object: withNamespace(object), source: resource })),
  );
  const secrets = (kustomization.secretGenerator ?? []).map((generator) => ({
    object: withNamespace({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: generator.name },
      type: 'Opaque',
      data: Object.fromEntries(
        (generator.files ?? []).map((file) => [file.split('=')[0] ?? file, Buffer.from('stand-in').toString('base64')]),
      ),
    }),
    source: 'kustomization.yaml (secretGenerator)',
  }));
  return [...fromFiles, ...secrets];
};

/** The files the secretGenerator reads, as written in kustomization.yaml. */
export const secretGeneratorFiles = (folder = kustomizeFolder): string[] =>
  ((readYaml(path.join(folder, 'kustomization.yaml')) as Kustomization).secretGenerator ?? []).flatMap((generator) =>
    (generator.files ?? []).map((file) => file.split('=').pop() ?? file),
  );

const kubernetesModelsVersion = (): string => {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve('kubernetes-models/package.json', { paths: [repoRoot] });
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
};

/** `apps/v1` Deployment → kubernetes-models/apps/v1/Deployment; core `v1` → kubernetes-models/v1/<Kind>. */
const modelPath = ({ apiVersion, kind }: KubernetesObject) => `kubernetes-models/${apiVersion}/${kind}`;

type ModelClass = new (data: unknown) => { validate(): void };

/** The schema's complaint about the object, or undefined when it is valid; an unknown kind is a complaint too. */
export const schemaErrorOf = async (object: KubernetesObject): Promise<string | undefined> => {
  let Model: ModelClass | undefined;
  try {
    Model = ((await import(modelPath(object))) as Record<string, ModelClass>)[object.kind];
  } catch {
    Model = undefined;
  }
  if (!Model) return `no Kubernetes schema for ${object.apiVersion} ${object.kind}`;
  try {
    new Model(object).validate();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
};

export const schemaSource = (): string => `kubernetes-models ${kubernetesModelsVersion()}`;
