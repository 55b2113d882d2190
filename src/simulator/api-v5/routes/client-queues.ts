import type { BrokerCore } from '../../broker/core.ts';
import type { QueuedMessage } from '../../broker/messaging.ts';
import { first, integer, oneOf } from '../http/query.ts';
import { ApiError, noContent, ok } from '../http/reply.ts';
import type { Route, RouteCall } from '../http/router.ts';
import { clientNotFound } from './clients.ts';

const positionInvalid = () => new ApiError(400, 'INVALID_PARAMETER', 'position_limit_invalid');

function byteBudget(text: string | undefined): number {
  if (text === undefined) return 1024 * 1024;
  const match = /^(\d+)(B|KB|MB|GB)?$/i.exec(text);
  if (!match) throw positionInvalid();
  const unit = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 }[(match[2] ?? 'B').toUpperCase() as 'B'];
  return Number(match[1]) * unit;
}

/** Mqueue positions are `<inserted_at ns>_<priority>`; inflight positions are integers. */
function positionOf(kind: 'mqueue' | 'inflight', message: QueuedMessage): string {
  return kind === 'mqueue' ? `${message.insertedAt}_0` : message.insertedAt;
}

function formatMessage(kind: 'mqueue' | 'inflight', message: QueuedMessage, encoding: string) {
  const payload =
    encoding === 'none'
      ? {}
      : { payload: message.payload.toString(encoding === 'plain' ? 'utf8' : 'base64') };
  return {
    msgid: message.msgid,
    topic: message.topic,
    qos: message.qos,
    publish_at: message.publishAt,
    from_clientid: message.fromClientId,
    from_username: message.fromUsername,
    ...payload,
    inserted_at: message.insertedAt,
    ...(kind === 'mqueue' ? { mqueue_priority: 0 } : {}),
  };
}

/** Cursor paging of §1.3: `position` in, `{start, position}` out, `end_of_data` once past the last message. */
async function listQueue(core: BrokerCore, kind: 'mqueue' | 'inflight', { params, query }: RouteCall) {
  const position = first(query, 'position') ?? 'none';
  const limit = integer(query, 'limit', 1, 10_000) ?? 100;
  const encoding = oneOf(query, 'payload', ['base64', 'plain', 'none'] as const) ?? 'base64';
  const budget = byteBudget(first(query, 'max_payload_bytes'));
  if (position !== 'none' && !(kind === 'mqueue' ? /^\d+_(\d+|infinity)$/ : /^\d+$/).test(position))
    throw positionInvalid();
  const clientId = params.clientid ?? '';
  const queued = kind === 'mqueue' ? await core.mqueueMessages(clientId) : core.inflightMessages(clientId);
  if (!queued) throw clientNotFound();
  const after =
    position === 'none'
      ? queued
      : queued.filter((m) => BigInt(m.insertedAt) > BigInt(position.split('_')[0] ?? '0'));
  const chunk: QueuedMessage[] = [];
  let bytes = 0;
  for (const message of after.slice(0, limit)) {
    if (chunk.length > 0 && bytes + message.payload.length > budget) break;
    chunk.push(message);
    bytes += message.payload.length;
  }
  const firstMessage = chunk[0];
  const lastMessage = chunk[chunk.length - 1];
  const meta = {
    start: firstMessage ? positionOf(kind, firstMessage) : 'none',
    position: lastMessage ? positionOf(kind, lastMessage) : position === 'none' ? 'none' : 'end_of_data',
  };
  return ok({ data: chunk.map((m) => formatMessage(kind, m, encoding)), meta });
}

/** Session queues (`mqueue_messages`, `inflight_messages`) and authorization caches. */
export function clientQueueRoutes(core: BrokerCore): Route[] {
  return [
    {
      path: '/clients/{clientid}/mqueue_messages',
      methods: { GET: (call) => listQueue(core, 'mqueue', call) },
    },
    {
      path: '/clients/{clientid}/inflight_messages',
      methods: { GET: (call) => listQueue(core, 'inflight', call) },
    },
    {
      path: '/clients/{clientid}/authorization/cache',
      methods: {
        GET: ({ params }) => {
          const cache = core.authzCache(params.clientid ?? '');
          if (!cache) throw clientNotFound();
          return ok(
            cache.map((e) => ({
              access: e.access,
              result: e.result,
              topic: e.topic,
              updated_time: e.updatedTime,
            })),
          );
        },
        DELETE: ({ params }) => {
          if (!core.clearAuthzCache(params.clientid ?? '')) throw clientNotFound();
          return noContent();
        },
      },
    },
    {
      path: '/authorization/cache',
      methods: {
        DELETE: () => {
          core.clearAuthzCache();
          return noContent();
        },
      },
    },
  ];
}
