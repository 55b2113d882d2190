import { z } from 'zod';
import type { PublishOutcome } from '../../../broker/write-api.ts';
import { deploymentId } from '../../../validation/identifiers.ts';
import { publishMessage } from '../../../validation/payload.ts';
import { builder } from '../../builder.ts';
import { MUTATION_ERRORS } from '../../errors.ts';
import { writeArgs } from '../../write-args.ts';
import { batchSuccess } from './batch.ts';
import { brokerMutation, countItems, operatorOnly } from './define.ts';

/** publish and publishBatch (operator): a message to a topic of a deployment's broker, as if a client sent it. */

/** Most messages one publishBatch takes; EMQX publishes a bulk request in one go. */
const MAX_BATCH = 100;

export const PayloadEncodingEnum = builder.enumType('PayloadEncoding', {
  values: {
    PLAIN: { description: 'the payload is UTF-8 text, sent as is' },
    BASE64: { description: 'the payload is base64 of arbitrary bytes; EMQX publishes the decoded bytes' },
  },
});

const PublishInput = builder.inputType('PublishInput', {
  fields: (t) => ({
    topic: t.string({ required: true, description: 'an MQTT topic name: no + or #, at most 65,535 bytes' }),
    payload: t.string({ required: true, description: 'text, or base64 when encoding is BASE64' }),
    encoding: t.field({ type: PayloadEncodingEnum, defaultValue: 'PLAIN' }),
    qos: t.int({ defaultValue: 0, description: '0, 1 or 2' }),
    retain: t.boolean({ defaultValue: false }),
  }),
});

const PublishSuccess = builder.objectRef<PublishOutcome>('PublishSuccess').implement({
  description: 'EMQX accepted the message',
  fields: (t) => ({
    topic: t.exposeString('topic'),
    messageId: t.exposeString('messageId', {
      nullable: true,
      description: "EMQX's message id, when it reports one",
    }),
    delivered: t.exposeBoolean('delivered', {
      nullable: true,
      description:
        'true: at least one subscriber matched; false: nobody is subscribed (v5 answers 202 "no matching ' +
        'subscribers"; a retained message is still stored); null: the broker cannot tell (v4)',
    }),
  }),
});

const PublishBatchSuccess = batchSuccess('PublishBatch', PublishSuccess);

builder.mutationField('publish', (t) =>
  t.field({
    type: PublishSuccess,
    description: 'Publishes one message through EMQX. Never retried: a timeout answers OUTCOME_UNKNOWN.',
    ...operatorOnly('publish'),
    errors: { types: MUTATION_ERRORS, union: { name: 'PublishResult' } },
    args: {
      ...writeArgs(t.arg, { justification: true }),
      deploymentId: t.arg.string({ required: true }),
      input: t.arg({ type: PublishInput, required: true }),
    },
    resolve: brokerMutation({
      operation: 'publish',
      args: (context) =>
        z.object({ deploymentId, input: publishMessage(context.services.config.limits.maxPayloadBytes) }),
      target: (args) => [args.input.topic],
      invalidates: (args) => (args.input.retain ? ['retained'] : []),
      run: (api, args) => api.publish(args.input),
    }),
  }),
);

builder.mutationField('publishBatch', (t) =>
  t.field({
    type: PublishBatchSuccess,
    description: `Publishes up to ${MAX_BATCH} messages in one EMQX call; each has its own result.`,
    ...operatorOnly('publishBatch', { writeItems: 'messages' }),
    errors: { types: MUTATION_ERRORS, union: { name: 'PublishBatchResult' } },
    args: {
      ...writeArgs(t.arg, { justification: true }),
      deploymentId: t.arg.string({ required: true }),
      messages: t.arg({ type: [PublishInput], required: true }),
    },
    resolve: brokerMutation({
      operation: 'publishBatch',
      args: (context) =>
        z.object({
          deploymentId,
          messages: z
            .array(publishMessage(context.services.config.limits.maxPayloadBytes))
            .min(1, 'give at least one message')
            .max(MAX_BATCH, `at most ${MAX_BATCH} messages`),
        }),
      target: (args) => args.messages.map((m) => m.topic),
      invalidates: (args) => (args.messages.some((m) => m.retain) ? ['retained'] : []),
      run: async (api, args) => ({ results: await api.publishBatch(args.messages) }),
      items: (result) => countItems(result.results),
    }),
  }),
);
