import { type CatalogLocation, findLocation, regionLabel } from './catalog.ts';
import type { NewDeployment } from './deployment-store.ts';
import { DEFAULT_PROJECT } from './records.ts';

export type CreateCheck =
  | { ok: true; deployment: NewDeployment }
  | { ok: false; status: 400 | 422; message: string };

interface CreateBody {
  platform: string;
  region: string;
  connections: number;
  deploymentType: 'serverless' | 'dedicated';
}

/** The request fields seed 000 documents, all required; it has no name field (the platform names it). */
const FIELDS = ['platform', 'region', 'connections', 'deploymentType'];

const refuse = (message: string): CreateCheck => ({ ok: false, status: 422, message });

function parseJsonObject(body: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

// "Serverless deployments support 1,000 connections, while dedicated deployments support between 1,000 and
// 10,000 connections" (seed 000).
function connectionsProblem(type: CreateBody['deploymentType'], connections: number): string | undefined {
  if (type === 'serverless' && connections !== 1000) return 'serverless deployments support 1000 connections';
  if (type === 'dedicated' && (connections < 1000 || connections > 10_000)) {
    return 'dedicated deployments support between 1000 and 10000 connections';
  }
  return undefined;
}

function fieldsProblem(body: Record<string, unknown>): string | undefined {
  const unknown = Object.keys(body).find((key) => !FIELDS.includes(key));
  if (unknown !== undefined) return `${unknown} is not a create parameter`;
  if (typeof body.platform !== 'string') return 'platform is required';
  if (typeof body.region !== 'string') return 'region is required';
  if (body.deploymentType !== 'serverless' && body.deploymentType !== 'dedicated') {
    return 'deploymentType must be "serverless" or "dedicated"';
  }
  if (typeof body.connections !== 'number' || !Number.isInteger(body.connections)) {
    return 'connections must be an integer';
  }
  return undefined;
}

function locationProblem(body: CreateBody, location: CatalogLocation | undefined): string | undefined {
  if (!location) return `unsupported platform/region ${body.platform}/${body.region}`;
  const supported =
    body.deploymentType === 'serverless' ? location.region.serverless : location.region.dedicated;
  if (!supported) return `${body.deploymentType} is not available in ${body.platform}/${body.region}`;
  return connectionsProblem(body.deploymentType, body.connections);
}

/**
 * Validates a `POST /deployments` body against seed 000: 400 when it is not a JSON object; 422 for a field the
 * page does not document, a missing one, or a platform × region × type × connections its tables rule out.
 */
export function checkCreateRequest(raw: Buffer, createdAt: number): CreateCheck {
  const json = parseJsonObject(raw);
  if (!json) return { ok: false, status: 400, message: 'Bad Request' };
  const problem = fieldsProblem(json);
  if (problem) return refuse(problem);
  const body = json as unknown as CreateBody;
  const location = findLocation(body.platform, body.region);
  const locationIssue = locationProblem(body, location);
  if (locationIssue || !location) return refuse(locationIssue ?? 'unsupported region');
  return {
    ok: true,
    deployment: {
      type: body.deploymentType,
      // "Currently, only v5 versions of EMQX are supported" and "created in the default project".
      version: 'v5',
      projectName: DEFAULT_PROJECT.projectName,
      projectID: null,
      platform: location.platform.displayName,
      region: regionLabel(location.region),
      platformCode: location.platform.code,
      regionCode: location.region.code,
      connections: body.connections,
      tps: body.connections,
      createdAt,
    },
  };
}
