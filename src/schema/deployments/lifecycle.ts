import { requireVisibleDeployment } from '../../platform/access.ts';
import { createDeploymentInput } from '../../platform/lifecycle.ts';
import type { Deployment } from '../../platform/model.ts';
import { builder } from '../builder.ts';
import { MUTATION_ERRORS } from '../errors.ts';
import { DeploymentRef, DeploymentTypeEnum } from './deployment.ts';

/** Deployment lifecycle mutations (platform API; admin). Each refusal decided here costs no upstream call. */

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
    region: t.string({ required: true, description: 'region code, e.g. us-east-1' }),
    connections: t.int({ required: true }),
    deploymentType: t.field({ type: DeploymentTypeEnum, required: true }),
    name: t.string(),
  }),
  validate: createDeploymentInput,
});

const changeField = (action: 'start' | 'stop') =>
  builder.mutationField(`${action}Deployment`, (t) =>
    t.field({
      type: action === 'start' ? StartDeploymentSuccess : StopDeploymentSuccess,
      authScopes: { admin: true },
      errors: {
        types: MUTATION_ERRORS,
        union: { name: `${action === 'start' ? 'Start' : 'Stop'}DeploymentResult` },
      },
      args: { deploymentId: t.arg.string({ required: true }) },
      resolve: async (_, { deploymentId }, context) => {
        const deployment = await requireVisibleDeployment(context, deploymentId);
        return { deployment: await context.services.lifecycle.change(deployment, action, context.requestId) };
      },
    }),
  );

changeField('start');
changeField('stop');

builder.mutationField('createDeployment', (t) =>
  t.field({
    type: CreateDeploymentSuccess,
    authScopes: { admin: true },
    errors: { types: MUTATION_ERRORS, union: { name: 'CreateDeploymentResult' } },
    args: { input: t.arg({ type: CreateDeploymentInput, required: true }) },
    resolve: async (_, { input }, context) => ({
      deployment: await context.services.lifecycle.create(
        createDeploymentInput.parse(input),
        context.requestId,
      ),
    }),
  }),
);
