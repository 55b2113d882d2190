import type { Logger } from '../logger.ts';
import type { PlatformDeployment } from './client.ts';

/** How the gateway names a deployment's state and plan; unknown platform values never fail a query. */
export const DEPLOYMENT_STATUSES = [
  'RUNNING',
  'STARTING',
  'STOPPING',
  'STOPPED',
  'PENDING',
  'FAILED',
  'UNKNOWN',
] as const;
export type DeploymentStatus = (typeof DEPLOYMENT_STATUSES)[number];

export const DEPLOYMENT_TYPES = ['SERVERLESS', 'DEDICATED', 'DEDICATED_FLEX', 'UNKNOWN'] as const;
export type DeploymentType = (typeof DEPLOYMENT_TYPES)[number];

export type DataSource = 'UPSTREAM' | 'CACHE' | 'STALE';

export interface Freshness {
  source: DataSource;
  /** Epoch ms of the upstream answer this value comes from. */
  fetchedAt: number;
}

/** A deployment as the schema serves it: the platform's view plus where that view came from. */
export interface Deployment extends PlatformDeployment {
  freshness: Freshness;
}

const STATUS_BY_PLATFORM: Record<string, DeploymentStatus> = {
  running: 'RUNNING',
  starting: 'STARTING',
  stopping: 'STOPPING',
  stopped: 'STOPPED',
  pending: 'PENDING',
  failed: 'FAILED',
};

const TYPE_BY_PLATFORM: Record<string, DeploymentType> = {
  serverless: 'SERVERLESS',
  dedicated: 'DEDICATED',
  dedicatedflex: 'DEDICATED_FLEX',
  dedicated_flex: 'DEDICATED_FLEX',
};

const reported = new Set<string>();

/** Maps a raw platform status; an unknown one becomes UNKNOWN and is logged once per value for operators. */
export function deploymentStatus(raw: string, logger?: Logger): DeploymentStatus {
  const status = STATUS_BY_PLATFORM[raw.toLowerCase()];
  if (status) return status;
  if (logger && !reported.has(raw)) {
    reported.add(raw);
    logger.warn({ rawStatus: raw }, 'unknown deployment status from EMQX Cloud, shown as UNKNOWN');
  }
  return 'UNKNOWN';
}

export function deploymentType(raw: string): DeploymentType {
  return TYPE_BY_PLATFORM[raw.toLowerCase()] ?? 'UNKNOWN';
}
