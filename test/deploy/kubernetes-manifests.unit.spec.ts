import { beforeAll, describe, expect, it } from '@jest/globals';
import { appServices } from '../topology/compose-topology.js';
import {
  renderKustomization,
  schemaErrorOf,
  schemaSource,
  secretGeneratorFiles,
  type KubernetesObject,
} from './kubernetes-manifests.js';

interface Probe {
  httpGet?: { path?: string };
}
interface Container {
  name: string;
  command?: string[];
  env?: { name: string; value?: string }[];
  envFrom?: { configMapRef?: { name: string } }[];
  volumeMounts?: { name: string; mountPath: string }[];
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: { readOnlyRootFilesystem?: boolean };
}
interface Deployment extends KubernetesObject {
  spec: {
    replicas?: number;
    strategy?: { type?: string };
    template: { metadata: { labels: Record<string, string> }; spec: { containers: Container[] } };
  };
}

describe('the Kubernetes manifests (deploy/k8s)', () => {
  const rendered = renderKustomization();
  const objects = rendered.map(({ object }) => object);
  const ofKind = <T extends KubernetesObject>(kind: string) => objects.filter((o) => o.kind === kind) as T[];
  const deployments = ofKind<Deployment>('Deployment');
  const deployment = (name: string) => deployments.find((d) => d.metadata.name === name);
  const container = (name: string) => deployment(name)?.spec.template.spec.containers[0];

  describe('against the Kubernetes schemas, offline', () => {
    let complaints: string[] = [];
    beforeAll(async () => {
      complaints = [];
      for (const { object, source } of rendered) {
        const error = await schemaErrorOf(object);
        if (error) complaints.push(`${source}: ${object.kind} ${object.metadata.name}: ${error}`);
      }
      console.log(`Kubernetes manifests: ${objects.length} objects validated against the schemas of ${schemaSource()}`);
    });

    it('finds every object valid', () => {
      expect(objects.length).toBeGreaterThan(20);
      expect(complaints).toEqual([]);
    });

    it('refuses a Deployment with a port by name where a number belongs, and one without a selector', async () => {
      const valid = deployment('waitlist') as Deployment;
      const broken = structuredClone(valid) as Deployment & { spec: { selector?: unknown } };
      const [first] = broken.spec.template.spec.containers;
      Object.assign(first ?? {}, { ports: [{ name: 'http', containerPort: 'http' }] });
      expect(await schemaErrorOf(broken)).toMatch(/containerPort must be integer/);
      delete broken.spec.selector;
      expect(await schemaErrorOf(broken)).toMatch(/data\/spec must have required property selector/);
    });

    it('refuses a kind the API does not have', async () => {
      const made = { apiVersion: 'apps/v1beta9', kind: 'Deployment', metadata: { name: 'x' } };
      expect(await schemaErrorOf(made)).toBe('no Kubernetes schema for apps/v1beta9 Deployment');
    });
  });

  describe('as docker-compose.yml runs the apps (the topology test starts those)', () => {
    const compose = appServices({});
    const configMap = ofKind<KubernetesObject & { data: Record<string, string> }>('ConfigMap')[0];

    it('has a Deployment for every app of compose and for nothing else', () => {
      expect(deployments.map((d) => d.metadata.name).sort()).toEqual(compose.map((s) => s.name).sort());
    });

    it.each(compose.map((service) => [service.name, service] as const))(
      '%s: the same command, the same variables, its secret files mounted where they are read',
      (name, service) => {
        const app = container(name);
        expect(app?.command).toEqual(['node', service.script]);
        expect(app?.envFrom?.map((source) => source.configMapRef?.name)).toEqual([configMap?.metadata.name]);
        const variables = new Set([...Object.keys(configMap?.data ?? {}), ...(app?.env ?? []).map((e) => e.name)]);
        expect([...variables].sort()).toEqual(Object.keys(service.environment).sort());
        const value = (variable: string) =>
          app?.env?.find((e) => e.name === variable)?.value ?? configMap?.data[variable];
        const mounted = new Set(app?.volumeMounts?.map((mount) => mount.mountPath));
        for (const [variable, path] of Object.entries(service.environment).filter(([key]) => key.endsWith('_FILE'))) {
          expect([variable, value(variable)]).toEqual([variable, path]);
          const mount = [...mounted].find((target) => path === target || path.startsWith(`${target}/`));
          expect([variable, mount]).toEqual([variable, expect.any(String)]);
        }
        for (const fixed of ['NODE_ENV', 'HOST', 'PORT']) expect(value(fixed)).toBe(service.environment[fixed]);
      },
    );
  });

  describe('for running in a cluster', () => {
    it.each(deployments.map((d) => [d.metadata.name, d] as const))(
      '%s: probes on /health, resources, a read-only root, a disruption budget',
      (name, d) => {
        const app = d.spec.template.spec.containers[0];
        expect(app?.livenessProbe?.httpGet?.path).toBe('/health/live');
        expect(app?.readinessProbe?.httpGet?.path).toBe('/health/ready');
        expect(Object.keys(app?.resources?.requests ?? {}).sort()).toEqual(['cpu', 'memory']);
        expect(app?.resources?.limits?.memory).toEqual(expect.any(String));
        expect(app?.securityContext?.readOnlyRootFilesystem).toBe(true);
        const budgets = ofKind<KubernetesObject & { spec: { selector: { matchLabels: Record<string, string> } } }>(
          'PodDisruptionBudget',
        ).filter((pdb) =>
          Object.entries(pdb.spec.selector.matchLabels).every(([k, v]) => d.spec.template.metadata.labels[k] === v),
        );
        expect([name, budgets.length]).toEqual([name, 1]);
      },
    );

    it('scales the query API by CPU', () => {
      const [hpa] = ofKind<KubernetesObject & { spec: { scaleTargetRef: { name: string }; minReplicas: number } }>(
        'HorizontalPodAutoscaler',
      );
      expect(hpa?.spec.scaleTargetRef.name).toBe('query-api');
      expect(hpa?.spec.minReplicas).toBeGreaterThanOrEqual(2);
    });

    it('runs one relay and one audit (no lease of their own), and process managers behind their lease', () => {
      for (const singleton of ['relay', 'audit']) {
        expect([singleton, deployment(singleton)?.spec.replicas, deployment(singleton)?.spec.strategy?.type]).toEqual([
          singleton,
          1,
          'Recreate',
        ]);
      }
      // Admission (waitlist) and funding hold a PostgreSQL advisory lock per manager (docs/adr/0011): replicas are safe.
      expect(deployment('waitlist')?.spec.replicas).toBeGreaterThan(1);
      expect(deployment('funding')?.spec.replicas).toBeGreaterThan(1);
    });

    it('reads its secret files from inside its own folder (kustomize refuses any other)', () => {
      const files = secretGeneratorFiles();
      expect(files.length).toBe(3);
      expect(files.filter((file) => file.startsWith('/') || file.split('/').includes('..'))).toEqual([]);
    });

    it('denies all traffic but what a policy allows', () => {
      const policies = ofKind<KubernetesObject & { spec: { podSelector: object; policyTypes: string[] } }>(
        'NetworkPolicy',
      );
      const denyAll = policies.find(
        (p) => Object.keys(p.spec.podSelector).length === 0 && !('ingress' in p.spec) && !('egress' in p.spec),
      );
      expect(denyAll?.spec.policyTypes.sort()).toEqual(['Egress', 'Ingress']);
    });
  });
});
