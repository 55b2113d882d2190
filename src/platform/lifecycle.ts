import { z } from 'zod';
import { BadUserInputError, NotSupportedError } from '../errors.ts';
import type { DeploymentCatalog } from './catalog.ts';
import type { PlatformApi } from './client.ts';
import { type Deployment, type DeploymentType, deploymentStatus, PLATFORM_TYPE } from './model.ts';

/**
 * Start, stop and create: the platform's scarcest calls (5, 5 and 1 an hour). Every refusal that can be decided
 * locally is decided before the quota is touched; nothing here is ever retried.
 */

export const createDeploymentInput = z.object({
  platform: z.enum(['aws', 'azure', 'gcp'], { message: 'must be aws, azure or gcp' }),
  region: z.string().regex(/^[a-z]{2,}[a-z0-9-]*[0-9]$/, 'must be a region code such as us-east-1'),
  connections: z.number().int().min(1000, 'must be at least 1000').max(10_000, 'must be at most 10000'),
  deploymentType: z
    .enum(['SERVERLESS', 'DEDICATED', 'DEDICATED_FLEX', 'UNKNOWN'])
    .refine((t) => t !== 'UNKNOWN', 'is not a plan that can be created'),
  name: z.string().trim().min(1).max(64, 'must be at most 64 characters').nullish(),
});

export type CreateDeploymentInput = z.infer<typeof createDeploymentInput>;

export interface LifecycleOptions {
  platform: PlatformApi;
  catalog: DeploymentCatalog;
}

export type Lifecycle = ReturnType<typeof createLifecycle>;

export function createLifecycle({ platform, catalog }: LifecycleOptions) {
  function checkChange(deployment: Deployment, action: 'start' | 'stop') {
    if (deployment.type.toLowerCase() === 'serverless') {
      throw new NotSupportedError(
        `${action === 'start' ? 'Starting' : 'Stopping'} a Serverless deployment`,
        'Cloud',
      );
    }
    // A fresh view that already shows the target (or the way to it) saves a scarce call that would get a 422.
    if (deployment.freshness.source === 'STALE') return;
    const status = deploymentStatus(deployment.status);
    const settled = action === 'start' ? ['RUNNING', 'STARTING'] : ['STOPPED', 'STOPPING'];
    if (settled.includes(status)) {
      throw new BadUserInputError(
        `Deployment ${deployment.deploymentId} is already ${status.toLowerCase()}`,
        'deploymentId',
      );
    }
  }

  return {
    async change(seen: Deployment, action: 'start' | 'stop', requestId?: string): Promise<Deployment> {
      // A stale view cannot tell whether the change is pointless. One list call (60 an hour) is cheaper than a
      // start or stop (5 an hour) that EMQX would refuse, so decide on a fresh one where the quota allows.
      const deployment =
        seen.freshness.source === 'STALE'
          ? ((await catalog.get(seen.deploymentId, requestId, { fresh: true })) ?? seen)
          : seen;
      checkChange(deployment, action);
      const operation = await platform.changeState(deployment.deploymentId, action, requestId);
      const status =
        operation === 'starting' || operation === 'stopping'
          ? operation
          : `${action === 'start' ? 'starting' : 'stopping'}`;
      return catalog.record({ ...deployment, status });
    },

    async create(input: CreateDeploymentInput, requestId?: string): Promise<Deployment> {
      const type = input.deploymentType as Exclude<DeploymentType, 'UNKNOWN'>;
      if (type === 'SERVERLESS' && input.connections !== 1000) {
        throw new BadUserInputError(
          'Serverless deployments have exactly 1000 connections',
          'input.connections',
        );
      }
      const created = await platform.createDeployment(
        {
          platform: input.platform,
          region: input.region,
          connections: input.connections,
          deploymentType: PLATFORM_TYPE[type],
          ...(input.name ? { deploymentName: input.name } : {}),
        },
        requestId,
      );
      return catalog.record(created);
    },
  };
}
