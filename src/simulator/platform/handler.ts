import { empty, json, type SimHandler, type SimRequest, type SimResponse } from '../types.ts';
import { isAuthorized, type PlatformCredentials } from './auth.ts';
import { checkCreateRequest } from './create-request.ts';
import type { DeploymentStore, LifecycleResult } from './deployment-store.ts';
import type { PlatformOperation, QuotaLimiter } from './quota.ts';
import type { ProjectRecord } from './records.ts';
import { matchRoute } from './router.ts';
import { toCreated, toDetail, toListItem, toOperation } from './wire.ts';

export interface PlatformHandlerOptions {
  store: DeploymentStore;
  projects: ProjectRecord[];
  credentials: PlatformCredentials;
  quota: QuotaLimiter;
  now: () => number;
  /** The account owner reported in create responses. */
  userID: string;
}

// Error bodies are undocumented ("treat as opaque"); this shape carries the optional `code` the official
// provider looks for, and never echoes credentials.
const failure = (status: number, message: string): SimResponse => json(status, { code: status, message });

const notFound = () => failure(404, 'Deployment not found');

function lifecycleResponse(result: LifecycleResult, operation: 'starting' | 'stopping'): SimResponse {
  if (result.ok) return json(201, toOperation(result.record, operation));
  if (result.reason === 'not-found') return notFound();
  if (result.reason === 'not-dedicated') {
    return failure(422, 'This action is only available for dedicated deployments');
  }
  const verb = operation === 'starting' ? 'started' : 'stopped';
  return failure(422, `Deployment cannot be ${verb} in its current status`);
}

type Operation = (request: SimRequest, deploymentId: string) => SimResponse | Promise<SimResponse>;

function operations(options: PlatformHandlerOptions): Record<PlatformOperation, Operation> {
  const { store } = options;
  return {
    listDeployments: () => json(200, store.list().map(toListItem)),
    getDeployment: (_request, id) => {
      const record = store.get(id);
      return record ? json(200, toDetail(record)) : notFound();
    },
    startDeployment: (_request, id) => lifecycleResponse(store.start(id), 'starting'),
    stopDeployment: (_request, id) => lifecycleResponse(store.stop(id), 'stopping'),
    createDeployment: async (request) => {
      const check = checkCreateRequest(request.body, options.now());
      if (!check.ok) return failure(check.status, check.message);
      return json(201, toCreated(await store.create(check.deployment), options.userID));
    },
    listProjects: () => json(200, options.projects),
  };
}

/**
 * The EMQX Cloud Platform API (docs/emqx-api.md §2, seed 000). Order of checks: credentials (401), route (404/405),
 * quota (429, counted for every authenticated request to a known route whatever its outcome), then the call.
 */
export function createPlatformHandler(options: PlatformHandlerOptions): SimHandler {
  const byOperation = operations(options);
  return (request) => {
    if (!isAuthorized(request.headers, options.credentials)) {
      return failure(401, 'API Key authentication failed');
    }
    const route = matchRoute(request.method, request.rawPath);
    if (route.kind === 'not-found') return failure(404, 'Not Found');
    if (route.kind === 'method-not-allowed')
      return { ...empty(405), headers: { allow: route.allow.join(', ') } };
    if (!options.quota.take(route.operation)) return failure(429, 'Request limit exceeded');
    return byOperation[route.operation](request, route.deploymentId ?? '');
  };
}
