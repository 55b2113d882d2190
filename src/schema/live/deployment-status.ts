import { canSeeProject } from '../../auth/caller.ts';
import { openStream } from '../../live/open-stream.ts';
import { requireVisibleDeployment } from '../../platform/access.ts';
import type { Deployment } from '../../platform/model.ts';
import { deploymentId } from '../../validation/identifiers.ts';
import { builder } from '../builder.ts';
import { DeploymentRef } from '../deployments/deployment.ts';

/**
 * deploymentStatusChanges (viewer): a deployment whose status changed, as the shared catalog sees it. No
 * platform call of its own: the catalog's list (cached fleet-wide for its TTL) is all it reads.
 */
builder.subscriptionField('deploymentStatusChanges', (t) =>
  t.field({
    type: DeploymentRef,
    description: 'viewer: a deployment whose platform status changed (polled within the platform budget)',
    args: { deploymentId: t.arg.string({ validate: deploymentId }) },
    subscribe: async (_root, args, context) => {
      const only = args.deploymentId ?? null;
      if (only) await requireVisibleDeployment(context, only);
      return openStream<Deployment>(context, { field: 'deploymentStatusChanges' }, async (stream) =>
        context.services.live.statuses.listen((changed) => {
          if (only && changed.deploymentId !== only) return;
          if (canSeeProject(context.caller, changed.projectName)) stream.push(changed);
        }),
      );
    },
    resolve: (event) => {
      if (event.kind === 'error') throw event.error;
      return event.value;
    },
  }),
);
