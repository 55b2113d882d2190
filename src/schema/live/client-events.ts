import { z } from 'zod';
import { openStream, topicFeed } from '../../live/open-stream.ts';
import { CLIENT_EVENT_FILTERS, type ClientEvent, toClientEvent } from '../../live/sys-events.ts';
import { requireVisibleDeployment } from '../../platform/access.ts';
import { deploymentId } from '../../validation/identifiers.ts';
import { builder } from '../builder.ts';
import { eventValue } from './stream-events.ts';

/** clientEvents (viewer): connects and disconnects, from EMQX's `$SYS/brokers/<node>/clients/...` messages. */

const ClientEventKindEnum = builder.enumType('ClientEventKind', {
  values: ['CONNECTED', 'DISCONNECTED'] as const,
});

const ClientEventRef = builder.objectRef<ClientEvent & { deploymentId: string }>('ClientEvent').implement({
  description: 'A client connected to or disconnected from a deployment',
  fields: (t) => ({
    deploymentId: t.exposeString('deploymentId'),
    kind: t.field({ type: ClientEventKindEnum, resolve: (e) => e.kind }),
    clientId: t.exposeString('clientId'),
    username: t.exposeString('username', { nullable: true }),
    ipAddress: t.exposeString('ipAddress', { nullable: true }),
    reason: t.exposeString('reason', {
      nullable: true,
      description: 'disconnects only: normal, kicked, keepalive_timeout, tcp_closed, takenover, discarded, …',
    }),
    at: t.field({ type: 'DateTime', resolve: (e) => e.at }),
  }),
});

builder.subscriptionField('clientEvents', (t) =>
  t.field({
    type: ClientEventRef,
    description:
      'viewer: connects and disconnects, from $SYS/brokers/<node>/clients/<clientid>/connected|disconnected',
    args: {
      deploymentId: t.arg.string({ required: true, validate: deploymentId }),
      clientIdContains: t.arg.string({ validate: z.string().min(1).max(256) }),
    },
    subscribe: async (_root, args, context) => {
      const deployment = await requireVisibleDeployment(context, args.deploymentId);
      const part = args.clientIdContains;
      return openStream(
        context,
        { field: 'clientEvents' },
        topicFeed(context, deployment, CLIENT_EVENT_FILTERS, (message) => {
          const event = toClientEvent(message);
          if (!event || (part && !event.clientId.includes(part))) return null;
          return { ...event, deploymentId: deployment.deploymentId };
        }),
      );
    },
    resolve: (event) => eventValue(event),
  }),
);
