import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { parseAllDocuments } from 'yaml';

export const MANIFESTS_DIR = new URL('../../deploy/kubernetes/', import.meta.url).pathname;

/** The Kubernetes API types the manifests may use, each validated against its published JSON schema. */
const MODELS: Record<string, new (data: any) => { validate(): void }> = {
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
};

export interface Manifest {
  file: string;
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  spec?: any;
  [field: string]: any;
}

/** Every YAML document under deploy/kubernetes/, by file; a YAML syntax error fails the load. */
export function loadManifests(): Manifest[] {
  const files = readdirSync(MANIFESTS_DIR).filter((file) => /\.ya?ml$/.test(file));
  return files.flatMap((file) =>
    parseAllDocuments(readFileSync(join(MANIFESTS_DIR, file), 'utf8')).map((document) => {
      if (document.errors.length > 0) throw new Error(`${file}: ${document.errors[0]?.message}`);
      return { file, ...document.toJS() } as Manifest;
    }),
  );
}

/**
 * Throws with the schema's complaint when `manifest` is not a valid object of its kind, or when its kind
 * is not one this repository is meant to ship.
 */
export function validateManifest(manifest: Manifest): void {
  const { file, ...object } = manifest;
  const Model = MODELS[`${manifest.apiVersion}/${manifest.kind}`];
  if (!Model) throw new Error(`${file}: unexpected ${manifest.apiVersion} ${manifest.kind}`);
  try {
    new Model(object).validate();
  } catch (error) {
    throw new Error(`${file}: ${manifest.kind} ${manifest.metadata?.name}: ${(error as Error).message}`);
  }
}

export function manifestOf(manifests: Manifest[], kind: string): Manifest {
  const found = manifests.filter((manifest) => manifest.kind === kind);
  if (found.length !== 1) throw new Error(`expected one ${kind}, found ${found.length}`);
  return found[0]!;
}

/** The ConfigMap the kustomization's generator would build from its files. */
export function generatedConfigMaps(kustomization: any): Manifest[] {
  return (kustomization.configMapGenerator ?? []).map((generator: any) => ({
    file: 'kustomization.yaml',
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: generator.name },
    data: Object.fromEntries(
      (generator.files as string[]).map((name) => [name, readFileSync(join(MANIFESTS_DIR, name), 'utf8')]),
    ),
  }));
}
