import { canSeeProject } from '../auth/caller.ts';
import { assertCallerPresent, type GatewayContext } from '../context.ts';
import { NotFoundError, RateLimitedError } from '../errors.ts';
import type { Deployment } from './model.ts';

/**
 * The deployments a caller may see. Project scoping happens here, after the fleet-wide cache, so a cached answer
 * never reaches a caller who could not have fetched it; an invisible deployment is indistinguishable from a
 * missing one.
 *
 * A query reads the catalog once: every `deployment(deploymentId:)` field, the `deployments` page and the cost
 * estimate of one request share one read (a shared-store round trip and a decoding of the whole list each,
 * before). Mutations and subscriptions read it afresh (requireVisibleDeployment), so a write earlier in the same
 * request is seen.
 */
const perRequest = new WeakMap<GatewayContext, Promise<Deployment[]>>();

function requestCatalog(context: GatewayContext): Promise<Deployment[]> {
  let list = perRequest.get(context);
  if (!list) {
    list = context.services.catalog.list(context.requestId);
    perRequest.set(context, list);
  }
  return list;
}

export async function visibleDeployments(context: GatewayContext): Promise<Deployment[]> {
  assertCallerPresent(context);
  const all = await requestCatalog(context);
  return all.filter((deployment) => canSeeProject(context.caller, deployment.projectName));
}

export async function findVisibleDeployment(
  context: GatewayContext,
  deploymentId: string,
): Promise<Deployment | null> {
  assertCallerPresent(context);
  let deployment: Deployment | null;
  try {
    deployment = (await requestCatalog(context)).find((d) => d.deploymentId === deploymentId) ?? null;
  } catch (error) {
    // The list's quota is spent and nothing is cached: the catalog falls back to the one-deployment read.
    if (!(error instanceof RateLimitedError)) throw error;
    deployment = await context.services.catalog.get(deploymentId, context.requestId);
  }
  return deployment && canSeeProject(context.caller, deployment.projectName) ? deployment : null;
}

export async function requireVisibleDeployment(
  context: GatewayContext,
  deploymentId: string,
): Promise<Deployment> {
  assertCallerPresent(context);
  const deployment = await context.services.catalog.get(deploymentId, context.requestId);
  if (!deployment || !canSeeProject(context.caller, deployment.projectName))
    throw new NotFoundError(`Deployment ${deploymentId} not found`);
  return deployment;
}
