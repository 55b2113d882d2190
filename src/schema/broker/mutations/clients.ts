import { z } from 'zod';
import type { KickOutcome, SubscriptionChange } from '../../../broker/write-api.ts';
import { clientId, deploymentId } from '../../../validation/identifiers.ts';
import { qos, topicFilter } from '../../../validation/mqtt-topic.ts';
import { builder } from '../../builder.ts';
import { MUTATION_ERRORS } from '../../errors.ts';
import { batchSuccess } from './batch.ts';
import { brokerMutation, countItems, operatorOnly } from './define.ts';

/**
 * Acting on connected clients (operator): kick them, subscribe or unsubscribe them. A client EMQX does not
 * know is NOT_FOUND. Batches answer one result per item, in input order.
 */

const MAX_BATCH = 100;

const KickClientSuccess = builder.objectRef<KickOutcome>('KickClientSuccess').implement({
  description: 'EMQX disconnected the client (or accepted to)',
  fields: (t) => ({
    clientId: t.exposeString('clientId'),
    wasConnected: t.exposeBoolean('wasConnected', {
      nullable: true,
      description:
        'true: EMQX confirmed it kicked this client; null: EMQX took the request without saying (v5 bulk ' +
        'kick ignores IDs it does not know)',
    }),
  }),
});

const SubscriptionChangeRef = builder.objectRef<SubscriptionChange>('MqttSubscriptionChange').implement({
  description: 'A subscription that was added to, or removed from, a client',
  fields: (t) => ({
    clientId: t.exposeString('clientId'),
    topic: t.exposeString('topic'),
    qos: t.exposeInt('qos', { nullable: true, description: 'null for an unsubscribe' }),
  }),
});

const KickClientsSuccess = batchSuccess('KickClients', KickClientSuccess);
const SubscribeClientBatchSuccess = batchSuccess('SubscribeClientBatch', SubscriptionChangeRef);
const UnsubscribeClientBatchSuccess = batchSuccess('UnsubscribeClientBatch', SubscriptionChangeRef);

const SubscriptionInput = builder.inputType('MqttSubscriptionInput', {
  fields: (t) => ({
    topic: t.string({
      required: true,
      description: 'a topic filter; $share/<group>/… for a shared subscription',
    }),
    qos: t.int({ defaultValue: 0 }),
  }),
});

const list = <T extends z.ZodType>(item: T, what: string) =>
  z.array(item).min(1, `give at least one ${what}`).max(MAX_BATCH, `at most ${MAX_BATCH} ${what}s`);
const withDefault = qos.nullish().transform((q) => q ?? 0);

builder.mutationFields((t) => ({
  kickClient: t.field({
    type: KickClientSuccess,
    description: 'Disconnects a client (v4/v5 `DELETE /clients/{clientid}`).',
    ...operatorOnly('kickClient'),
    errors: { types: MUTATION_ERRORS, union: { name: 'KickClientResult' } },
    args: { deploymentId: t.arg.string({ required: true }), clientId: t.arg.string({ required: true }) },
    resolve: brokerMutation({
      operation: 'kickClient',
      args: () => z.object({ deploymentId, clientId }),
      target: (args) => [args.clientId],
      invalidates: () => ['clients', 'subscriptions'],
      run: async (api, args) => {
        // EMQX answers a kick of a live client and of a lingering persistent session alike; the client read
        // (cached for at most the broker TTL) says which one this was. It only informs: a failed read never
        // stands in the way of the kick, which then reports what EMQX said.
        const [before] = await api.getClients([args.clientId]).catch(() => [null]);
        const outcome = await api.kickClient(args.clientId);
        return { ...outcome, wasConnected: before?.value ? before.value.connected : outcome.wasConnected };
      },
    }),
  }),
  kickClients: t.field({
    type: KickClientsSuccess,
    description: `Disconnects up to ${MAX_BATCH} clients (v5 one bulk call, v4 one call per client).`,
    ...operatorOnly('kickClients'),
    errors: { types: MUTATION_ERRORS, union: { name: 'KickClientsResult' } },
    args: { deploymentId: t.arg.string({ required: true }), clientIds: t.arg.stringList({ required: true }) },
    resolve: brokerMutation({
      operation: 'kickClients',
      args: () => z.object({ deploymentId, clientIds: list(clientId, 'client ID') }),
      target: (args) => args.clientIds,
      invalidates: () => ['clients', 'subscriptions'],
      run: async (api, args) => ({ results: await api.kickClients(args.clientIds) }),
      items: (result) => countItems(result.results),
    }),
  }),
  subscribeClient: t.field({
    type: SubscriptionChangeRef,
    description: 'Subscribes a connected client to a topic filter, as if it had sent SUBSCRIBE.',
    ...operatorOnly('subscribeClient'),
    errors: { types: MUTATION_ERRORS, union: { name: 'SubscribeClientResult' } },
    args: {
      deploymentId: t.arg.string({ required: true }),
      clientId: t.arg.string({ required: true }),
      topic: t.arg.string({ required: true }),
      qos: t.arg.int({ defaultValue: 0 }),
    },
    resolve: brokerMutation({
      operation: 'subscribeClient',
      args: () => z.object({ deploymentId, clientId, topic: topicFilter, qos: withDefault }),
      target: (args) => [args.clientId, args.topic],
      invalidates: () => ['subscriptions', 'clients'],
      run: (api, args) => api.subscribe(args.clientId, args.topic, args.qos),
    }),
  }),
  unsubscribeClient: t.field({
    type: SubscriptionChangeRef,
    description: 'Removes a subscription from a connected client.',
    ...operatorOnly('unsubscribeClient'),
    errors: { types: MUTATION_ERRORS, union: { name: 'UnsubscribeClientResult' } },
    args: {
      deploymentId: t.arg.string({ required: true }),
      clientId: t.arg.string({ required: true }),
      topic: t.arg.string({ required: true }),
    },
    resolve: brokerMutation({
      operation: 'unsubscribeClient',
      args: () => z.object({ deploymentId, clientId, topic: topicFilter }),
      target: (args) => [args.clientId, args.topic],
      invalidates: () => ['subscriptions', 'clients'],
      run: (api, args) => api.unsubscribe(args.clientId, args.topic),
    }),
  }),
  subscribeClientBatch: t.field({
    type: SubscribeClientBatchSuccess,
    description: `Subscribes a client to up to ${MAX_BATCH} topic filters in one EMQX call.`,
    ...operatorOnly('subscribeClientBatch'),
    errors: { types: MUTATION_ERRORS, union: { name: 'SubscribeClientBatchResult' } },
    args: {
      deploymentId: t.arg.string({ required: true }),
      clientId: t.arg.string({ required: true }),
      subscriptions: t.arg({ type: [SubscriptionInput], required: true }),
    },
    resolve: brokerMutation({
      operation: 'subscribeClientBatch',
      args: () =>
        z.object({
          deploymentId,
          clientId,
          subscriptions: list(z.object({ topic: topicFilter, qos: withDefault }), 'subscription'),
        }),
      target: (args) => [args.clientId, ...args.subscriptions.map((s) => s.topic)],
      invalidates: () => ['subscriptions', 'clients'],
      run: async (api, args) => ({ results: await api.subscribeMany(args.clientId, args.subscriptions) }),
      items: (result) => countItems(result.results),
    }),
  }),
  unsubscribeClientBatch: t.field({
    type: UnsubscribeClientBatchSuccess,
    description: `Removes up to ${MAX_BATCH} subscriptions from a client in one EMQX call.`,
    ...operatorOnly('unsubscribeClientBatch'),
    errors: { types: MUTATION_ERRORS, union: { name: 'UnsubscribeClientBatchResult' } },
    args: {
      deploymentId: t.arg.string({ required: true }),
      clientId: t.arg.string({ required: true }),
      topics: t.arg.stringList({ required: true }),
    },
    resolve: brokerMutation({
      operation: 'unsubscribeClientBatch',
      args: () => z.object({ deploymentId, clientId, topics: list(topicFilter, 'topic') }),
      target: (args) => [args.clientId, ...args.topics],
      invalidates: () => ['subscriptions', 'clients'],
      run: async (api, args) => ({ results: await api.unsubscribeMany(args.clientId, args.topics) }),
      items: (result) => countItems(result.results),
    }),
  }),
}));
