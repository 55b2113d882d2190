import type { RetainedMessage } from '../../../broker/api.ts';
import { brokerOf } from '../../../broker/request.ts';
import { retainedTopic } from '../../../validation/identifiers.ts';
import { builder } from '../../builder.ts';
import { DeploymentRef, FreshnessType } from '../../deployments/deployment.ts';
import { pageSize } from '../../pagination.ts';
import { brokerConnection } from '../connection.ts';

const RetainedMessageRef = builder.objectRef<RetainedMessage>('RetainedMessage').implement({
  description: 'A retained message (EMQX v5; v4 deployments answer NOT_SUPPORTED)',
  fields: (t) => ({
    topic: t.exposeString('topic'),
    payload: t.exposeString('payload', {
      nullable: true,
      description: 'as EMQX sends it: base64; only on a single message, lists carry none',
    }),
    qos: t.exposeInt('qos'),
    publishedAt: t.field({ type: 'DateTime', nullable: true, resolve: (m) => m.publishedAt }),
    fromClientId: t.exposeString('fromClientId', { nullable: true }),
    fromUsername: t.exposeString('fromUsername', { nullable: true }),
  }),
});

builder.objectFields(DeploymentRef, (t) => ({
  retainedMessages: t.connection(
    {
      forwardOnly: true,
      type: RetainedMessageRef,
      nullable: true,
      authScopes: { viewer: true },
      args: { topic: t.arg.string({ description: 'a topic filter; wildcards allowed' }) },
      validate: pageSize,
      resolve: (deployment, args, context) =>
        brokerConnection(context, deployment, args, (api, page) =>
          api.listRetained(args.topic ?? null, page),
        ),
    },
    {
      name: 'RetainedMessageConnection',
      fields: (c) => ({
        totalCount: c.int({ nullable: true, resolve: (connection) => connection.totalCount }),
        freshness: c.field({ type: FreshnessType, resolve: (connection) => connection.freshness }),
      }),
    },
    { name: 'RetainedMessageEdge' },
  ),
  retainedMessage: t.field({
    type: RetainedMessageRef,
    nullable: true,
    authScopes: { viewer: true },
    args: { topic: t.arg.string({ required: true, validate: retainedTopic }) },
    resolve: async (deployment, { topic }, context) =>
      (await brokerOf(context, deployment).api.getRetained(topic)).value,
  }),
}));
