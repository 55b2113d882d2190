import { z } from 'zod';
import type { BrokerApi } from '../../../broker/api.ts';
import { untilWrite } from '../../../broker/dry-run.ts';
import { ExpectedError, NotFoundError } from '../../../errors.ts';
import { deploymentId, retainedTopic } from '../../../validation/identifiers.ts';
import { builder } from '../../builder.ts';
import { MUTATION_ERRORS } from '../../errors.ts';
import { dryRunField, type MaybeDryRun, writeArgs } from '../../write-args.ts';
import { brokerMutation, operatorOnly } from './define.ts';

/** Removing a retained message (operator). */

const DeleteRetainedMessageSuccess = builder
  .objectRef<{ topic: string } & MaybeDryRun>('DeleteRetainedMessageSuccess')
  .implement({
    description: 'Nothing is retained on the topic any more (a dry run: would be)',
    fields: (t) => ({ topic: t.exposeString('topic'), dryRun: dryRunField(t) }),
  });

/** v5 says whether a message is retained there (v4 has no retainer API to ask). */
async function retainedExists(api: BrokerApi, topic: string): Promise<boolean> {
  try {
    return (await api.getRetained(topic)).value !== null;
  } catch (error) {
    if (error instanceof ExpectedError && error.code === 'NOT_SUPPORTED') return true;
    throw error;
  }
}

builder.mutationField('deleteRetainedMessage', (t) =>
  t.field({
    type: DeleteRetainedMessageSuccess,
    description:
      'v5 `DELETE /mqtt/retainer/message/{topic}` (NOT_FOUND when nothing is retained there). EMQX v4 has no ' +
      'retainer API: the gateway publishes an empty retained message, which MQTT defines as the delete; ' +
      'current subscribers of the topic receive that empty message.',
    ...operatorOnly('deleteRetainedMessage'),
    errors: { types: MUTATION_ERRORS, union: { name: 'DeleteRetainedMessageResult' } },
    args: {
      ...writeArgs(t.arg, { dryRun: true }),
      deploymentId: t.arg.string({ required: true }),
      topic: t.arg.string({ required: true }),
    },
    resolve: brokerMutation({
      operation: 'deleteRetainedMessage',
      args: () => z.object({ deploymentId, topic: retainedTopic }),
      target: (args) => [args.topic],
      invalidates: () => ['retained'],
      run: async (api, args) => {
        await api.deleteRetained(args.topic);
        return { topic: args.topic };
      },
      preview: async (api, args) => {
        if (!(await retainedExists(api, args.topic)))
          throw new NotFoundError(`Nothing is retained on ${args.topic}`);
        await untilWrite(api.deleteRetained(args.topic));
        return { topic: args.topic };
      },
    }),
  }),
);

interface ClearRetained extends MaybeDryRun {
  retainedBefore: number | null;
}

const ClearRetainedMessagesSuccess = builder
  .objectRef<ClearRetained>('ClearRetainedMessagesSuccess')
  .implement({
    description: 'Nothing is retained on the deployment any more (a dry run: would be)',
    fields: (t) => ({
      retainedBefore: t.exposeInt('retainedBefore', {
        nullable: true,
        description:
          'a dry run: how many messages are retained now (what the clear would remove); null otherwise',
      }),
      dryRun: dryRunField(t),
    }),
  });

builder.mutationField('clearRetainedMessages', (t) =>
  t.field({
    type: ClearRetainedMessagesSuccess,
    description:
      'v5 `DELETE /mqtt/retainer/messages`: every retained message of the deployment, so a broad write (admin ' +
      'with a justification). New subscribers stop receiving them at once. NOT_SUPPORTED on v4 (no retainer API).',
    ...operatorOnly('clearRetainedMessages'),
    errors: { types: MUTATION_ERRORS, union: { name: 'ClearRetainedMessagesResult' } },
    args: {
      ...writeArgs(t.arg, { dryRun: true, justification: true }),
      deploymentId: t.arg.string({ required: true }),
    },
    resolve: brokerMutation({
      operation: 'clearRetainedMessages',
      args: () => z.object({ deploymentId }),
      target: () => ['*'],
      invalidates: () => ['retained'],
      run: async (api) => {
        await api.clearRetainedMessages();
        return { retainedBefore: null };
      },
      preview: async (api) => {
        const page = await api.listRetained(null, { page: 1, limit: 1 });
        await untilWrite(api.clearRetainedMessages());
        return { retainedBefore: page.totalCount };
      },
    }),
  }),
);
