import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseConfig } from '../../../src/config.ts';
import {
  generatedConfigMaps,
  loadManifests,
  MANIFESTS_DIR,
  type Manifest,
  manifestOf,
  validateManifest,
} from '../../helpers/manifests.ts';

const kustomization = parse(readFileSync(join(MANIFESTS_DIR, 'kustomization.yaml'), 'utf8'));
const manifests = loadManifests().filter((manifest) => manifest.file !== 'kustomization.yaml');
const deployment = manifestOf(manifests, 'Deployment');
const pod = deployment.spec.template.spec;
const container = pod.containers[0];
const [configMap] = generatedConfigMaps(kustomization) as [Manifest];
const secret = manifestOf(manifests, 'Secret');

const containerPort = (name: string) =>
  container.ports.find((port: any) => port.name === name)?.containerPort as number;
const envValue = (name: string) => container.env.find((entry: any) => entry.name === name)?.value;

/** The environment a pod gets: its env values and, through envFrom, every key of the example Secret. */
const podEnv = () => ({
  ...Object.fromEntries(container.env.map((entry: any) => [entry.name, entry.value])),
  ...secret.stringData,
});
const gatewayConfig = () => parseConfig(JSON.parse(configMap.data['gateway.json']), podEnv());

describe('deploy/kubernetes: every manifest is a valid Kubernetes object', () => {
  it.each(manifests.map((manifest) => [`${manifest.file} ${manifest.kind}`, manifest]))(
    '%s',
    (_, manifest) => {
      expect(() => validateManifest(manifest as Manifest)).not.toThrow();
    },
  );

  it('the generated ConfigMap is valid too', () => {
    expect(() => validateManifest(configMap)).not.toThrow();
  });

  it('the kustomization lists every manifest but the example Secret, and its files exist', () => {
    const files = readdirSync(MANIFESTS_DIR).filter(
      (file) => /\.ya?ml$/.test(file) && file !== 'kustomization.yaml',
    );
    expect([...kustomization.resources].sort()).toEqual(
      files.filter((file) => !file.includes('.example.')).sort(),
    );
    for (const generator of kustomization.configMapGenerator)
      for (const file of generator.files) expect(existsSync(join(MANIFESTS_DIR, file))).toBe(true);
    expect(kustomization.images.map((image: any) => image.name)).toContain(container.image);
  });
});

describe('deploy/kubernetes: the manifests agree with each other', () => {
  const labels = deployment.spec.template.metadata.labels;
  const selects = (selector: Record<string, string>) =>
    Object.entries(selector).every(([key, value]) => labels[key] === value);

  it('the Service, PodDisruptionBudget and Deployment select the pods; the autoscaler scales the Deployment', () => {
    expect(selects(deployment.spec.selector.matchLabels)).toBe(true);
    expect(selects(manifestOf(manifests, 'Service').spec.selector)).toBe(true);
    expect(selects(manifestOf(manifests, 'PodDisruptionBudget').spec.selector.matchLabels)).toBe(true);
    const target = manifestOf(manifests, 'HorizontalPodAutoscaler').spec.scaleTargetRef;
    expect(target).toMatchObject({ kind: 'Deployment', name: deployment.metadata.name });
  });

  it('the Service exposes the GraphQL port only', () => {
    const ports = manifestOf(manifests, 'Service').spec.ports;
    expect(ports.map((port: any) => port.targetPort)).toEqual(['http']);
  });

  it('the configuration volume is the generated ConfigMap, mounted where GATEWAY_CONFIG_FILE points', () => {
    const volume = pod.volumes.find((entry: any) => entry.configMap);
    expect(volume.configMap.name).toBe(configMap.metadata.name);
    const mount = container.volumeMounts.find((entry: any) => entry.name === volume.name);
    expect(envValue('GATEWAY_CONFIG_FILE')).toBe(`${mount.mountPath}/gateway.json`);
    expect(container.envFrom[0].secretRef.name).toBe(secret.metadata.name);
  });

  it('runs as a non-root user with a read-only root filesystem and no capabilities', () => {
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
    expect(container.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  it('sizes the V8 heap below the memory limit', () => {
    const heapMiB = Number(/--max-old-space-size=(\d+)/.exec(envValue('NODE_OPTIONS'))?.[1]);
    const limitMiB = Number(/^(\d+)Mi$/.exec(container.resources.limits.memory)?.[1]);
    expect(heapMiB).toBeGreaterThan(0);
    expect(heapMiB).toBeLessThanOrEqual(limitMiB * 0.75);
    expect(container.resources.requests.memory).toBeDefined();
  });
});

describe('deploy/kubernetes: the manifests agree with the code', () => {
  it('gateway.json is a valid configuration once the Secret’s keys are in the environment', () => {
    expect(() => gatewayConfig()).not.toThrow();
    expect(gatewayConfig().port).toBe(containerPort('http'));
  });

  it('probes and metrics use the management port the configuration sets; the Service does not expose it', () => {
    expect(gatewayConfig().server.managementPort).toBe(containerPort('management'));
    for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) {
      expect(container[probe].httpGet.port, probe).toBe('management');
    }
    expect(Number(deployment.spec.template.metadata.annotations['prometheus.io/port'])).toBe(
      containerPort('management'),
    );
    expect(manifestOf(manifests, 'Service').spec.ports.map((port: any) => port.targetPort)).not.toContain(
      'management',
    );
  });
});
