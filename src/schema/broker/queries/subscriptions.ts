import { z } from 'zod';
import type { MqttSubscription } from '../../../broker/api.ts';
import { checkNodeFilter } from '../../../broker/node-filter.ts';
import { brokerOf } from '../../../broker/request.ts';
import type { Deployment } from '../../../platform/model.ts';
import { clientId, nodeName } from '../../../validation/identifiers.ts';
import { builder } from '../../builder.ts';
import { DeploymentRef, FreshnessType } from '../../deployments/deployment.ts';
import { pageSize } from '../../pagination.ts';
import { brokerConnection } from '../connection.ts';
import { clientNode, MqttClientRef } from './clients.ts';

/** A subscription with the deployment it lives on, so its client can be looked up (batched). */
interface SubscriptionNode extends MqttSubscription {
  deployment: Deployment;
}

const MqttSubscriptionRef = builder.objectRef<SubscriptionNode>('MqttSubscription').implement({
  description: 'A topic subscription of a client; a shared one has its group in shareGroup',
  fields: (t) => ({
    clientId: t.exposeString('clientId'),
    topic: t.exposeString('topic', { description: 'the topic filter, without any `$share/<group>/` prefix' }),
    qos: t.exposeInt('qos'),
    node: t.exposeString('node', { nullable: true }),
    shareGroup: t.exposeString('shareGroup', { nullable: true }),
    client: t.field({
      type: MqttClientRef,
      nullable: true,
      description: 'the subscribing client (looked up in one batch with every other client of the request)',
      resolve: async (s, _, context) => {
        const found = await brokerOf(context, s.deployment).clients.load(s.clientId);
        return found.value ? clientNode(found.value, s.deployment, found.freshness) : null;
      },
    }),
  }),
});

builder.objectField(MqttClientRef, 'subscriptions', (t) =>
  t.field({
    type: [MqttSubscriptionRef],
    nullable: true,
    description:
      "the client's subscriptions; the subscriptions of every client of a request are read in one batch",
    resolve: async (client, _, context) => {
      // A count of zero from the same short-lived cache window answers without asking EMQX.
      if (client.client.subscriptionsCount === 0) return [];
      const found = await brokerOf(context, client.deployment).subscriptions.load(client.client.clientId);
      return found.value.map((s) => ({ ...s, deployment: client.deployment }));
    },
  }),
);

const SubscriptionFilter = builder.inputType('MqttSubscriptionFilter', {
  fields: (t) => ({
    clientId: t.string({ validate: clientId }),
    topic: t.string(),
    matchTopic: t.string(),
    qos: t.int({ validate: z.number().int().min(0).max(2) }),
    shareGroup: t.string(),
    node: t.string({ validate: nodeName }),
  }),
});

builder.objectFields(DeploymentRef, (t) => ({
  subscriptions: t.connection(
    {
      forwardOnly: true,
      type: MqttSubscriptionRef,
      nullable: true,
      authScopes: { viewer: true },
      args: { filter: t.arg({ type: SubscriptionFilter }) },
      validate: pageSize,
      resolve: (deployment, args, context) =>
        brokerConnection(
          context,
          deployment,
          args,
          async (api, page) => {
            await checkNodeFilter(api, args.filter?.node, 'filter.node');
            return api.listSubscriptions(args.filter ?? {}, page);
          },
          (s) => ({ ...s, deployment }),
        ),
    },
    {
      name: 'MqttSubscriptionConnection',
      fields: (c) => ({
        totalCount: c.int({ nullable: true, resolve: (connection) => connection.totalCount }),
        freshness: c.field({ type: FreshnessType, resolve: (connection) => connection.freshness }),
      }),
    },
    { name: 'MqttSubscriptionEdge' },
  ),
}));
