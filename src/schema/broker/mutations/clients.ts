import { z } from 'zod';
import type { BrokerApi } from '../../../broker/api.ts';
import { untilWrite } from '../../../broker/dry-run.ts';
import type { ItemResult, KickOutcome, SubscriptionChange } from '../../../broker/write-api.ts';
import { clientNotFound } from '../../../broker/write-support.ts';
import { ExpectedError } from '../../../errors.ts';
import { withBudgetShare } from '../../../resilience/deadline.ts';
import { clientId, deploymentId } from '../../../validation/identifiers.ts';
import { qos, topicFilter } from '../../../validation/mqtt-topic.ts';
import { builder } from '../../builder.ts';
import { MUTATION_ERRORS } from '../../errors.ts';
import { dryRunField, type MaybeDryRun, writeArgs } from '../../write-args.ts';
import { batchSuccess } from './batch.ts';
import { brokerMutation, countItems, operatorOnly } from './define.ts';

/**
 * Acting on connected clients (operator): kick them, subscribe or unsubscribe them. A client EMQX does not
 * know is NOT_FOUND. Batches answer one result per item, in input order.
 */

const MAX_BATCH = 100;

const KickClientSuccess = builder.objectRef<KickOutcome & MaybeDryRun>('KickClientSuccess').implement({
  description: 'EMQX disconnected the client (or accepted to); a dry run: the client EMQX would disconnect',
  fields: (t) => ({
    dryRun: dryRunField(t),
    clientId: t.exposeString('clientId'),
    wasConnected: t.exposeBoolean('wasConnected', {
      nullable: true,
      description:
        'true: EMQX confirmed it kicked this client; null: EMQX took the request without saying (v5 bulk ' +
        'kick ignores IDs it does not know); a dry run: whether it is connected now',
    }),
  }),
});

const SubscriptionChangeRef = builder
  .objectRef<SubscriptionChange & MaybeDryRun>('MqttSubscriptionChange')
  .implement({
    description: 'A subscription that was added to, or removed from, a client (a dry run: would be)',
    fields: (t) => ({
      dryRun: dryRunField(t),
      clientId: t.exposeString('clientId'),
      topic: t.exposeString('topic'),
      qos: t.exposeInt('qos', { nullable: true, description: 'null for an unsubscribe' }),
    }),
  });

const KickClientsSuccess = batchSuccess('KickClients', KickClientSuccess, { dryRun: true });
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

/** Which of the clients EMQX knows now and whether each is connected: what a kick would find. */
async function kickPreview(api: BrokerApi, clientIds: string[]): Promise<Array<ItemResult<KickOutcome>>> {
  const found = await api.getClients(clientIds);
  return clientIds.map((id, i) => {
    const client = found[i]?.value;
    return client ? { clientId: id, wasConnected: client.connected, dryRun: true } : clientNotFound(id);
  });
}

const list = <T extends z.ZodType>(item: T, what: string) =>
  z.array(item).min(1, `give at least one ${what}`).max(MAX_BATCH, `at most ${MAX_BATCH} ${what}s`);
const withDefault = qos.nullish().transform((q) => q ?? 0);

builder.mutationFields((t) => ({
  kickClient: t.field({
    type: KickClientSuccess,
    description: 'Disconnects a client (v4/v5 `DELETE /clients/{clientid}`).',
    ...operatorOnly('kickClient'),
    errors: { types: MUTATION_ERRORS, union: { name: 'KickClientResult' } },
    args: {
      ...writeArgs(t.arg, { dryRun: true }),
      deploymentId: t.arg.string({ required: true }),
      clientId: t.arg.string({ required: true }),
    },
    resolve: brokerMutation({
      operation: 'kickClient',
      args: () => z.object({ deploymentId, clientId }),
      target: (args) => [args.clientId],
      invalidates: () => ['clients', 'subscriptions'],
      run: async (api, args) => {
        // EMQX answers a kick of a live client and of a lingering persistent session alike; the client read
        // (cached for at most the broker TTL) says which one this was. It only informs: a failed read never
        // stands in the way of the kick, which then reports what EMQX said; nor does it use more than half of
        // the time left, which the kick itself needs.
        const [before] = await withBudgetShare(0.5, () => api.getClients([args.clientId])).catch(() => [
          null,
        ]);
        const outcome = await api.kickClient(args.clientId);
        return { ...outcome, wasConnected: before?.value ? before.value.connected : outcome.wasConnected };
      },
      preview: async (api, args) => {
        const [outcome] = await kickPreview(api, [args.clientId]);
        if (outcome instanceof ExpectedError) throw outcome;
        return outcome as KickOutcome;
      },
    }),
  }),
  kickClients: t.field({
    type: KickClientsSuccess,
    description: `Disconnects up to ${MAX_BATCH} clients (v5 one bulk call, v4 one call per client).`,
    ...operatorOnly('kickClients', { writeItems: 'clientIds' }),
    errors: { types: MUTATION_ERRORS, union: { name: 'KickClientsResult' } },
    args: {
      ...writeArgs(t.arg, { dryRun: true }),
      deploymentId: t.arg.string({ required: true }),
      clientIds: t.arg.stringList({ required: true }),
    },
    resolve: brokerMutation({
      operation: 'kickClients',
      args: () => z.object({ deploymentId, clientIds: list(clientId, 'client ID') }),
      target: (args) => args.clientIds,
      invalidates: () => ['clients', 'subscriptions'],
      run: async (api, args) => ({ results: await api.kickClients(args.clientIds) }),
      preview: async (api, args) => ({ results: await kickPreview(api, args.clientIds) }),
      items: (result) => countItems(result.results),
    }),
  }),
  subscribeClient: t.field({
    type: SubscriptionChangeRef,
    description: 'Subscribes a connected client to a topic filter, as if it had sent SUBSCRIBE.',
    ...operatorOnly('subscribeClient'),
    errors: { types: MUTATION_ERRORS, union: { name: 'SubscribeClientResult' } },
    args: {
      ...writeArgs(t.arg),
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
      ...writeArgs(t.arg, { dryRun: true }),
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
      preview: async (api, args) => {
        const { value: subscriptions } = await api.clientSubscriptions(args.clientId);
        if (subscriptions === null) throw clientNotFound(args.clientId);
        await untilWrite(api.unsubscribe(args.clientId, args.topic));
        return { clientId: args.clientId, topic: args.topic, qos: null, dryRun: true };
      },
    }),
  }),
  subscribeClientBatch: t.field({
    type: SubscribeClientBatchSuccess,
    description: `Subscribes a client to up to ${MAX_BATCH} topic filters in one EMQX call.`,
    ...operatorOnly('subscribeClientBatch', { writeItems: 'subscriptions' }),
    errors: { types: MUTATION_ERRORS, union: { name: 'SubscribeClientBatchResult' } },
    args: {
      ...writeArgs(t.arg),
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
    ...operatorOnly('unsubscribeClientBatch', { writeItems: 'topics' }),
    errors: { types: MUTATION_ERRORS, union: { name: 'UnsubscribeClientBatchResult' } },
    args: {
      ...writeArgs(t.arg),
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
