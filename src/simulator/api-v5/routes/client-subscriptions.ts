import type { BrokerCore } from '../../broker/core.ts';
import type { SubscribeRequest, SubscriptionInfo } from '../../broker/types.ts';
import { formatSubscription } from '../format/client.ts';
import { arrayBody, isRecord, objectBody } from '../http/body.ts';
import { ApiError, badRequest, noContent, ok } from '../http/reply.ts';
import type { Route } from '../http/router.ts';
import { clientNotFound } from './clients.ts';

function flag(body: Record<string, unknown>, name: string, max: number): number {
  const value = body[name] ?? 0;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    throw badRequest(
      `Bad Request: ${name} expected type is integer(0..${max}), got: ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/** One `{topic, qos, nl, rap, rh}` item, schema-checked as `emqx_mgmt_api_clients` does. */
function subscribeItem(body: unknown): SubscribeRequest {
  if (!isRecord(body)) throw badRequest('Bad Request: subscription must be an object');
  if (typeof body.topic !== 'string') throw badRequest('Bad Request: Missing required parameter: topic');
  const request = {
    topic: body.topic,
    qos: flag(body, 'qos', 2),
    nl: flag(body, 'nl', 1),
    rap: flag(body, 'rap', 1),
    rh: flag(body, 'rh', 2),
  } as SubscribeRequest;
  if (request.nl === 1 && request.topic.startsWith('$share/')) {
    throw new ApiError(
      400,
      'INVALID_PARAMETER',
      'Invalid Subscribe options: `no_local` not allowed for shared-sub',
    );
  }
  return request;
}

const subscribeReply = (s: SubscriptionInfo) => ({
  clientid: s.clientId,
  topic: s.topic,
  qos: s.qos,
  nl: s.nl,
  rap: s.rap,
  rh: s.rh,
  node: s.node,
});

function unsubscribeItem(body: unknown): string {
  if (!isRecord(body) || typeof body.topic !== 'string')
    throw badRequest('Bad Request: Missing required parameter: topic');
  return body.topic;
}

/** A client's subscriptions and subscribe/unsubscribe on its behalf. */
export function clientSubscriptionRoutes(core: BrokerCore): Route[] {
  const subscribeAll = async (clientId: string, requests: SubscribeRequest[]) => {
    const results = await core.subscribe(clientId, requests);
    if (!results) throw clientNotFound();
    return results;
  };
  return [
    {
      path: '/clients/{clientid}/subscriptions',
      methods: {
        GET: ({ params }) => {
          const subs = core.clientSubscriptions(params.clientid ?? '');
          if (!subs) throw clientNotFound();
          return ok(subs.map(formatSubscription));
        },
      },
    },
    {
      path: '/clients/{clientid}/subscribe',
      methods: {
        POST: async ({ request, params }) => {
          const [result] = await subscribeAll(params.clientid ?? '', [subscribeItem(objectBody(request))]);
          if (!result?.ok) throw new ApiError(500, 'UNKNOWN_ERROR', result?.reason ?? 'unknown');
          return ok(subscribeReply(result.subscription));
        },
      },
    },
    {
      path: '/clients/{clientid}/subscribe/bulk',
      methods: {
        POST: async ({ request, params }) => {
          const clientId = params.clientid ?? '';
          const results = await subscribeAll(clientId, arrayBody(request).map(subscribeItem));
          const succeed = results.flatMap((r) => (r.ok ? [subscribeReply(r.subscription)] : []));
          if (succeed.length === results.length) return ok(succeed);
          const failed = results.flatMap((r) =>
            r.ok
              ? []
              : [{ data: [clientId, r.request.topic, { qos: r.request.qos ?? 0 }], reason: r.reason }],
          );
          return ok({ succeed, failed });
        },
      },
    },
    {
      path: '/clients/{clientid}/unsubscribe',
      methods: {
        POST: async ({ request, params }) => {
          const topic = unsubscribeItem(objectBody(request));
          if (!(await core.unsubscribe(params.clientid ?? '', [topic]))) throw clientNotFound();
          return noContent();
        },
      },
    },
    {
      path: '/clients/{clientid}/unsubscribe/bulk',
      methods: {
        POST: async ({ request, params }) => {
          const topics = arrayBody(request).map(unsubscribeItem);
          if (!(await core.unsubscribe(params.clientid ?? '', topics))) throw clientNotFound();
          return noContent();
        },
      },
    },
  ];
}
