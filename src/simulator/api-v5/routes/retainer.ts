import type { BrokerCore } from '../../broker/core.ts';
import type { RetainedMessage } from '../../broker/types.ts';
import { rfc3339 } from '../format/time.ts';
import { queryPage } from '../http/paging.ts';
import { first, pageParams } from '../http/query.ts';
import { noContent, notFound, ok } from '../http/reply.ts';
import type { Route } from '../http/router.ts';

/** Payloads above this are left out of `GET /mqtt/retainer/message/{topic}`. */
const MAX_SHOWN_PAYLOAD = 1024 * 1024;

const messageNotFound = () => notFound('NOT_FOUND', "Viewed message doesn't exist");

function formatRetained(message: RetainedMessage): Record<string, unknown> {
  return {
    msgid: message.msgid,
    topic: message.topic,
    qos: message.qos,
    publish_at: rfc3339(message.publishAt),
    from_clientid: message.fromClientId,
    from_username: message.fromUsername,
  };
}

/** `/mqtt/retainer/messages` and `/mqtt/retainer/message/{topic}`, read from aedes' retained store. */
export function retainerRoutes(core: BrokerCore): Route[] {
  return [
    {
      path: '/mqtt/retainer/messages',
      methods: {
        GET: async ({ query }) => {
          const page = pageParams(query);
          const topic = first(query, 'topic');
          const messages = await core.listRetained(topic);
          const { data, meta } = queryPage(messages, page, topic === undefined);
          return ok({ data: data.map(formatRetained), meta });
        },
        DELETE: async () => {
          await core.clearRetained();
          return noContent();
        },
      },
    },
    {
      path: '/mqtt/retainer/message/{topic}',
      methods: {
        GET: async ({ params }) => {
          const message = await core.getRetained(params.topic ?? '');
          if (!message) throw messageNotFound();
          const payload =
            message.payload.length > MAX_SHOWN_PAYLOAD ? {} : { payload: message.payload.toString('base64') };
          return ok({ ...formatRetained(message), ...payload });
        },
        DELETE: async ({ params }) => {
          if (!(await core.deleteRetained(params.topic ?? ''))) throw messageNotFound();
          return noContent();
        },
      },
    },
  ];
}
