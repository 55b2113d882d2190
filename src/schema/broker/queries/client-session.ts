import { z } from 'zod';
import type { AuthzCacheEntry, CursorPage, SessionMessage } from '../../../broker/api.ts';
import { DEFAULT_BROKER_PAGE } from '../../../broker/paging.ts';
import { brokerOf } from '../../../broker/request.ts';
import { builder } from '../../builder.ts';
import { FreshnessType } from '../../deployments/deployment.ts';
import { pageSize } from '../../pagination.ts';
import { type ClientNode, MqttClientRef } from './clients.ts';

/**
 * Inside one client's session: the authorization decisions it has cached, the messages queued for it and
 * those delivered but not yet acknowledged — what an operator looks at when a device is stuck.
 */

const AuthorizationCacheEntryRef = builder.objectRef<AuthzCacheEntry>('AuthorizationCacheEntry').implement({
  description: 'A cached authorization decision; EMQX answers from it until it expires or is cleared',
  fields: (t) => ({
    access: t.exposeString('access', { description: 'publish or subscribe' }),
    topic: t.exposeString('topic'),
    result: t.exposeString('result', { description: 'allow or deny' }),
    updatedAt: t.field({ type: 'DateTime', nullable: true, resolve: (e) => e.updatedAt }),
  }),
});

const SessionMessageRef = builder.objectRef<SessionMessage>('SessionMessage').implement({
  description: "A message in a session's queue or inflight window",
  fields: (t) => ({
    messageId: t.exposeString('messageId'),
    topic: t.exposeString('topic'),
    qos: t.exposeInt('qos'),
    payload: t.exposeString('payload', { nullable: true, description: 'base64' }),
    publishedAt: t.field({ type: 'DateTime', nullable: true, resolve: (m) => m.publishedAt }),
    fromClientId: t.exposeString('fromClientId', { nullable: true }),
    fromUsername: t.exposeString('fromUsername', { nullable: true }),
    priority: t.exposeString('priority', {
      nullable: true,
      description: 'queued messages only: the topic priority ("infinity" is the highest)',
    }),
  }),
});

/** A cursor is EMQX's own paging position; anything else is refused before a call. */
const queueArgs = pageSize.and(
  z.object({
    after: z
      .string()
      .regex(/^[0-9A-Za-z_]{1,64}$/, 'not a cursor of this list')
      .nullish(),
  }),
);

const toConnection = (page: CursorPage<SessionMessage>) => ({
  edges: page.items.map((node) => ({ cursor: node.position, node })),
  pageInfo: {
    hasNextPage: page.nextCursor !== null,
    hasPreviousPage: false,
    startCursor: page.items[0]?.position ?? null,
    endCursor: page.items[page.items.length - 1]?.position ?? null,
  },
  freshness: page.freshness,
});

builder.objectFields(MqttClientRef, (t) => {
  const queue = (kind: 'mqueue' | 'inflight', description: string) =>
    t.connection(
      {
        type: SessionMessageRef,
        nullable: true,
        forwardOnly: true,
        authScopes: { operator: true },
        description,
        validate: queueArgs,
        resolve: async (c: ClientNode, args, context) => {
          const { api } = brokerOf(context, c.deployment);
          const first = args.first ?? DEFAULT_BROKER_PAGE;
          const page = await api.sessionMessages(kind, c.client.clientId, args.after ?? null, first);
          return page && toConnection(page);
        },
      },
      {
        name: kind === 'mqueue' ? 'MqueueMessageConnection' : 'InflightMessageConnection',
        fields: (f) => ({
          freshness: f.field({ type: FreshnessType, resolve: (connection) => connection.freshness }),
        }),
      },
      { name: kind === 'mqueue' ? 'MqueueMessageEdge' : 'InflightMessageEdge' },
    );
  return {
    authorizationCache: t.field({
      type: [AuthorizationCacheEntryRef],
      nullable: true,
      description:
        'Cached authorization decisions, newest first; null when the client is not connected. v4 ' +
        '`GET /clients/{clientid}/acl_cache`, v5 `GET /clients/{clientid}/authorization/cache`.',
      resolve: async (c, _, context) =>
        (await brokerOf(context, c.deployment).api.authorizationCache(c.client.clientId)).value,
    }),
    mqueueMessages: queue(
      'mqueue',
      'operator: messages queued for the session and not yet sent (payloads included); v5 ' +
        '`GET /clients/{clientid}/mqueue_messages`, NOT_SUPPORTED on v4',
    ),
    inflightMessages: queue(
      'inflight',
      'operator: messages sent and not yet acknowledged (payloads included); v5 ' +
        '`GET /clients/{clientid}/inflight_messages`, NOT_SUPPORTED on v4',
    ),
  };
});
