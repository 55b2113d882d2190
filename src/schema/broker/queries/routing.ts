import type { TopicRoute } from '../../../broker/api.ts';
import { hasDotSegment } from '../../../validation/identifiers.ts';
import { topicFilter } from '../../../validation/mqtt-topic.ts';
import { builder } from '../../builder.ts';
import { DeploymentRef, FreshnessType } from '../../deployments/deployment.ts';
import { pageSize } from '../../pagination.ts';
import { brokerConnection } from '../connection.ts';

/** The routing table: which topic filters have subscribers, and on which nodes. */

const TopicRouteRef = builder.objectRef<TopicRoute>('TopicRoute').implement({
  description: 'A topic filter at least one session subscribes to, and a node that routes it',
  fields: (t) => ({
    topic: t.exposeString('topic', { description: 'shared subscriptions appear under their bare filter' }),
    node: t.exposeString('node', { nullable: true }),
  }),
});

/** The filter goes into `/routes/{topic}` (v4) or `/topics/{topic}` (v5) as one path segment. */
const routeTopic = topicFilter.refine((value) => !hasDotSegment(value), {
  message: 'topic may not have "." or ".." levels here',
});

builder.objectFields(DeploymentRef, (t) => ({
  routes: t.connection(
    {
      type: TopicRouteRef,
      nullable: true,
      forwardOnly: true,
      authScopes: { viewer: true },
      description:
        'The routing table (v4 `GET /routes`, v5 `GET /topics`), or the routes of one topic filter ' +
        '(v4 `GET /routes/{topic}`, v5 `GET /topics/{topic}`). A filter appears once a client subscribes to it.',
      args: { topic: t.arg.string({ description: 'an exact topic filter', validate: routeTopic }) },
      validate: pageSize,
      resolve: (deployment, args, context) =>
        brokerConnection(context, deployment, args, (api, page) => api.routes(args.topic ?? null, page)),
    },
    {
      name: 'TopicRouteConnection',
      fields: (c) => ({
        totalCount: c.int({ nullable: true, resolve: (connection) => connection.totalCount }),
        freshness: c.field({ type: FreshnessType, resolve: (connection) => connection.freshness }),
      }),
    },
    { name: 'TopicRouteEdge' },
  ),
}));
