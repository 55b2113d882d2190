import { z } from 'zod';
import { deploymentId, retainedTopic } from '../../../validation/identifiers.ts';
import { builder } from '../../builder.ts';
import { MUTATION_ERRORS } from '../../errors.ts';
import { brokerMutation, operatorOnly } from './define.ts';

/** Removing a retained message (operator). */

const DeleteRetainedMessageSuccess = builder
  .objectRef<{ topic: string }>('DeleteRetainedMessageSuccess')
  .implement({
    description: 'Nothing is retained on the topic any more',
    fields: (t) => ({ topic: t.exposeString('topic') }),
  });

builder.mutationField('deleteRetainedMessage', (t) =>
  t.field({
    type: DeleteRetainedMessageSuccess,
    description:
      'v5 `DELETE /mqtt/retainer/message/{topic}` (NOT_FOUND when nothing is retained there). EMQX v4 has no ' +
      'retainer API: the gateway publishes an empty retained message, which MQTT defines as the delete; ' +
      'current subscribers of the topic receive that empty message.',
    ...operatorOnly('deleteRetainedMessage'),
    errors: { types: MUTATION_ERRORS, union: { name: 'DeleteRetainedMessageResult' } },
    args: { deploymentId: t.arg.string({ required: true }), topic: t.arg.string({ required: true }) },
    resolve: brokerMutation({
      operation: 'deleteRetainedMessage',
      args: () => z.object({ deploymentId, topic: retainedTopic }),
      target: (args) => [args.topic],
      invalidates: () => ['retained'],
      run: async (api, args) => {
        await api.deleteRetained(args.topic);
        return { topic: args.topic };
      },
    }),
  }),
);
