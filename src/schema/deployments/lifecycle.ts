import { z } from 'zod';
import { auditLogOf, auditOutcomeOf } from '../../audit.ts';
import type { GatewayContext } from '../../context.ts';
import { requireVisibleDeployment } from '../../platform/access.ts';
import { createDeploymentInput } from '../../platform/lifecycle.ts';
import type { Deployment } from '../../platform/model.ts';
import { parseArgs } from '../../validation/parse.ts';
import { AUDIT_EXTENSION } from '../audit-plugin.ts';
import { builder } from '../builder.ts';
import { MUTATION_ERRORS } from '../errors.ts';
import { DeploymentRef, DeploymentTypeEnum } from './deployment.ts';

/**
 * Deployment lifecycle mutations (platform API; admin). Each refusal decided here costs no upstream call.
 * Each writes the same audit line as a broker mutation: who, which deployment, how it ended.
 */

async function audited<T extends { deployment: Deployment }>(
  context: GatewayContext,
  operation: string,
  target: string[],
  run: () => Promise<T>,
): Promise<T> {
  const started = performance.now();
  const line = { caller: context.caller, requestId: context.requestId, operation, target };
  const audit = auditLogOf(context.services.logger);
  try {
    const result = await run();
    const { deploymentId } = result.deployment;
    audit.record({ ...line, deploymentId, outcome: 'success', durationMs: performance.now() - started });
    return result;
  } catch (error) {
    const deploymentId = target[0] ?? '';
    audit.record({
      ...line,
      deploymentId,
      ...auditOutcomeOf(error),
      durationMs: performance.now() - started,
    });
    throw error;
  }
}

const lifecycleResult = (name: string) =>
  builder.objectRef<{ deployment: Deployment }>(name).implement({
    fields: (t) => ({
      deployment: t.field({
        type: DeploymentRef,
        description: 'The deployment with the status the caller should now see',
        resolve: (r) => r.deployment,
      }),
    }),
  });

const StartDeploymentSuccess = lifecycleResult('StartDeploymentSuccess');
const StopDeploymentSuccess = lifecycleResult('StopDeploymentSuccess');
const CreateDeploymentSuccess = lifecycleResult('CreateDeploymentSuccess');

const CreateDeploymentInput = builder.inputType('CreateDeploymentInput', {
  fields: (t) => ({
    platform: t.string({ required: true, description: 'aws | azure | gcp' }),
    region: t.string({
      required: true,
      description: "region code from the platform's table, e.g. us-east-1, westeurope, asia-southeast1",
    }),
    connections: t.int({ required: true, description: 'SERVERLESS: 1000; DEDICATED: 1000 to 10000' }),
    deploymentType: t.field({
      type: DeploymentTypeEnum,
      required: true,
      description: 'SERVERLESS or DEDICATED (the platform API creates no other plan)',
    }),
    name: t.string({
      description: 'Must be left out: the platform API names a new deployment deployment-<id> itself',
    }),
  }),
});

const changeField = (action: 'start' | 'stop') =>
  builder.mutationField(`${action}Deployment`, (t) =>
    t.field({
      type: action === 'start' ? StartDeploymentSuccess : StopDeploymentSuccess,
      authScopes: { admin: true },
      extensions: { [AUDIT_EXTENSION]: `${action}Deployment` },
      errors: {
        types: MUTATION_ERRORS,
        union: { name: `${action === 'start' ? 'Start' : 'Stop'}DeploymentResult` },
      },
      args: { deploymentId: t.arg.string({ required: true }) },
      resolve: (_, { deploymentId }, context) =>
        audited(context, `${action}Deployment`, [deploymentId.slice(0, 64)], async () => {
          const deployment = await requireVisibleDeployment(context, deploymentId);
          return {
            deployment: await context.services.lifecycle.change(deployment, action, context.requestId),
          };
        }),
    }),
  );

changeField('start');
changeField('stop');

const createArgs = z.object({ input: createDeploymentInput });

builder.mutationField('createDeployment', (t) =>
  t.field({
    type: CreateDeploymentSuccess,
    authScopes: { admin: true },
    extensions: { [AUDIT_EXTENSION]: 'createDeployment' },
    errors: { types: MUTATION_ERRORS, union: { name: 'CreateDeploymentResult' } },
    args: { input: t.arg({ type: CreateDeploymentInput, required: true }) },
    // Validated here rather than by the input type, so a refused input gets its audit line too.
    resolve: (_, { input }, context) =>
      audited(context, 'createDeployment', [], async () => ({
        deployment: await context.services.lifecycle.create(
          parseArgs(createArgs, { input }).input,
          context.requestId,
        ),
      })),
  }),
);
