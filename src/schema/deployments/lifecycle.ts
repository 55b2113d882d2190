import { z } from 'zod';
import { requireVisibleDeployment } from '../../platform/access.ts';
import {
  type CreateDeploymentInput as CreateInput,
  createDeploymentInput,
} from '../../platform/lifecycle.ts';
import type { Deployment } from '../../platform/model.ts';
import { deploymentId } from '../../validation/identifiers.ts';
import { AUDIT_EXTENSION } from '../audit-plugin.ts';
import { builder } from '../builder.ts';
import { MUTATION_ERRORS } from '../errors.ts';
import { dryRunField, type MaybeDryRun, writeArgs } from '../write-args.ts';
import { writeMutation } from '../write-mutation.ts';
import { DeploymentRef, DeploymentTypeEnum } from './deployment.ts';

/**
 * Deployment lifecycle mutations (platform API; admin), through the shared write pipeline
 * (src/schema/write-mutation.ts). Each refusal decided here costs no upstream call.
 */

type LifecycleResult = { deployment: Deployment } & MaybeDryRun;

const lifecycleResult = (name: string, canDryRun: boolean) =>
  builder.objectRef<LifecycleResult>(name).implement({
    fields: (t) => ({
      deployment: t.field({
        type: DeploymentRef,
        description: 'The deployment with the status the caller should now see (a dry run: as it is now)',
        resolve: (r) => r.deployment,
      }),
      ...(canDryRun ? { dryRun: dryRunField(t) } : {}),
    }),
  });

const StartDeploymentSuccess = lifecycleResult('StartDeploymentSuccess', false);
const StopDeploymentSuccess = lifecycleResult('StopDeploymentSuccess', true);
const CreateDeploymentSuccess = lifecycleResult('CreateDeploymentSuccess', false);

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
      args: {
        ...writeArgs(t.arg, { dryRun: action === 'stop' }),
        deploymentId: t.arg.string({ required: true }),
      },
      resolve: writeMutation<{ deploymentId: string }, LifecycleResult>({
        operation: `${action}Deployment`,
        args: () => z.object({ deploymentId }),
        target: (args) => [args.deploymentId],
        deploymentId: (args) => args.deploymentId,
        run: async (args, context) => {
          const deployment = await requireVisibleDeployment(context, args.deploymentId);
          return {
            deployment: await context.services.lifecycle.change(deployment, action, context.requestId),
          };
        },
        preview:
          action === 'stop'
            ? async (args, context) => {
                const deployment = await requireVisibleDeployment(context, args.deploymentId);
                return { deployment: await context.services.lifecycle.preview(deployment, action) };
              }
            : undefined,
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
    args: { ...writeArgs(t.arg), input: t.arg({ type: CreateDeploymentInput, required: true }) },
    resolve: writeMutation<{ input: CreateInput }, LifecycleResult>({
      operation: 'createDeployment',
      args: () => createArgs,
      target: () => [],
      deploymentId: () => '',
      resultDeploymentId: (result) => result.deployment.deploymentId,
      run: async (args, context) => ({
        deployment: await context.services.lifecycle.create(args.input, context.requestId),
      }),
    }),
  }),
);
