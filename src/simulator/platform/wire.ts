import type { DeploymentRecord } from './records.ts';

const pad = (value: number) => String(value).padStart(2, '0');

/** `YYYY-MM-DD HH:mm` in UTC, as the platform writes `createAt`. */
export function formatCreateAt(epochMs: number): string {
  const date = new Date(epochMs);
  const day = `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
  return `${day} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}`;
}

/** Inverse of `formatCreateAt`, for seeds. */
export function parseCreateAt(text: string): number {
  const epochMs = Date.parse(`${text.replace(' ', 'T')}:00Z`);
  if (Number.isNaN(epochMs)) throw new Error(`createAt must be "YYYY-MM-DD HH:mm", got ${text}`);
  return epochMs;
}

/** An element of `GET /deployments` (docs/emqx-api.md §2.2). */
export const toListItem = (record: DeploymentRecord) => ({
  connections: record.connections,
  tps: record.tps,
  createAt: formatCreateAt(record.createdAt),
  deploymentID: record.id,
  deploymentName: record.name,
  deploymentType: record.type,
  platform: record.platform,
  projectName: record.projectName,
  region: record.region,
  status: record.status,
  version: record.version,
});

/** `GET /deployments/{id}` (docs/emqx-api.md §2.3): no `projectName`, no `version`. */
export const toDetail = (record: DeploymentRecord) => ({
  connections: record.connections,
  tps: record.tps,
  createAt: formatCreateAt(record.createdAt),
  deploymentID: record.id,
  deploymentName: record.name,
  deploymentType: record.type,
  platform: record.platform,
  region: record.region,
  status: record.status,
});

/** The 201 body of `POST /deployments/{id}/start|stop`. */
export const toOperation = (record: DeploymentRecord, operation: 'starting' | 'stopping') => ({
  deploymentID: record.id,
  deploymentName: record.name,
  operation,
});

// Serverless deployments expose only the TLS listeners; dedicated ones all four (seed 000 example).
const portsFor = (record: DeploymentRecord) => {
  const all = { '1883': 'mqtt', '8083': 'ws', '8084': 'wss', '8883': 'mqtts' };
  const tlsOnly = { '8084': 'wss', '8883': 'mqtts' };
  const listeners = record.type === 'serverless' ? tlsOnly : all;
  return Object.fromEntries(
    Object.entries(listeners).map(([port, protocol]) => [port, { status: 'running', protocol }]),
  );
};

/**
 * The 201 body of `POST /deployments`, as seed 000 shows it: unlike list/get, `platform` and `region` are
 * codes (`aws`, `us-east-1`), the display form is in `regionLabel`, and connections/version sit in `spec`.
 */
export const toCreated = (record: DeploymentRecord, userID: string) => ({
  createAt: formatCreateAt(record.createdAt),
  deploymentID: record.id,
  deploymentName: record.name,
  deploymentType: record.type,
  freeTrial: false,
  platform: record.platformCode ?? record.platform,
  ports: portsFor(record),
  projectID: record.projectID,
  region: record.regionCode ?? record.region,
  regionLabel: record.region,
  spec: {
    connections: record.connections,
    deploymentVersion: record.version,
    freeTraffic: 100,
    node: record.type === 'serverless' ? 1 : 2,
    protection: false,
    tps: record.tps,
    version: 5.2,
  },
  status: record.status,
  subscription: false,
  tls: null,
  userID,
});
