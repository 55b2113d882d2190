import { canSeeProject } from '../auth/caller.ts';
import { assertCallerPresent, type GatewayContext } from '../context.ts';
import { NotFoundError } from '../errors.ts';
import type { Deployment } from './model.ts';

/**
 * The deployments a caller may see. Project scoping happens here, after the fleet-wide cache, so a cached answer
 * never reaches a caller who could not have fetched it; an invisible deployment is indistinguishable from a
 * missing one.
 */
export async function visibleDeployments(context: GatewayContext): Promise<Deployment[]> {
  assertCallerPresent(context);
  const all = await context.services.catalog.list(context.requestId);
  return all.filter((deployment) => canSeeProject(context.caller, deployment.projectName));
}

export async function findVisibleDeployment(
  context: GatewayContext,
  deploymentId: string,
): Promise<Deployment | null> {
  assertCallerPresent(context);
  const deployment = await context.services.catalog.get(deploymentId, context.requestId);
  return deployment && canSeeProject(context.caller, deployment.projectName) ? deployment : null;
}

export async function requireVisibleDeployment(
  context: GatewayContext,
  deploymentId: string,
): Promise<Deployment> {
  const deployment = await findVisibleDeployment(context, deploymentId);
  if (!deployment) throw new NotFoundError(`Deployment ${deploymentId} not found`);
  return deployment;
}
