import { z } from 'zod';
import { BadUserInputError, NotSupportedError } from '../errors.ts';
import type { QuotaGuard } from '../store/quotas.ts';
import type { DeploymentCatalog } from './catalog.ts';
import type { PlatformApi } from './client.ts';
import { type Deployment, deploymentStatus } from './model.ts';
import { createProblem } from './regions.ts';

/**
 * Start, stop and create: the platform's scarcest calls (5, 5 and 1 an hour). Every refusal that can be decided
 * locally is decided before the quota is touched; nothing here is ever retried.
 */

const CREATE_TYPES = { SERVERLESS: 'serverless', DEDICATED: 'dedicated' } as const;

/**
 * A create request checked against seed 000 (src/platform/regions.ts). The platform API has no name field
 * (it names a new deployment `deployment-<id>`), so a name is refused rather than silently dropped.
 */
export const createDeploymentChecks = z
  .object({
    platform: z.enum(['aws', 'azure', 'gcp'], { message: 'must be aws, azure or gcp' }),
    region: z.string(),
    connections: z.number().int(),
    deploymentType: z.enum(['SERVERLESS', 'DEDICATED'], {
      message: 'must be SERVERLESS or DEDICATED, the plans the platform API creates',
    }),
    name: z
      .null({ message: 'the platform API cannot name a new deployment; it is named deployment-<id>' })
      .optional(),
  })
  .superRefine((input, ctx) => {
    const type = CREATE_TYPES[input.deploymentType];
    const problem = createProblem(input.platform, input.region, type, input.connections);
    if (problem) ctx.addIssue({ code: 'custom', path: [problem.field], message: problem.message });
  });

export const createDeploymentInput = createDeploymentChecks.transform((input) => ({
  platform: input.platform,
  region: input.region,
  connections: input.connections,
  deploymentType: CREATE_TYPES[input.deploymentType],
}));

export type CreateDeploymentInput = z.output<typeof createDeploymentInput>;

export interface LifecycleOptions {
  platform: PlatformApi;
  catalog: DeploymentCatalog;
  quotas: QuotaGuard;
}

export type Lifecycle = ReturnType<typeof createLifecycle>;

export function createLifecycle({ platform, catalog, quotas }: LifecycleOptions) {
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
    /**
     * Everything `change` checks, including that the quota has a call left (without taking it); answers the
     * deployment as it is now. Nothing is sent.
     */
    async preview(deployment: Deployment, action: 'start' | 'stop'): Promise<Deployment> {
      checkChange(deployment, action);
      await quotas.check(action === 'start' ? 'startDeployment' : 'stopDeployment');
      return deployment;
    },

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

    /** Sends exactly the four fields seed 000 documents (CONTRACT.md §5). */
    async create(input: CreateDeploymentInput, requestId?: string): Promise<Deployment> {
      const created = await platform.createDeployment(input, requestId);
      return catalog.record(created);
    },
  };
}
