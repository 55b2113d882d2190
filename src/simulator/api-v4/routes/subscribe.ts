import type { V4Context } from '../context.ts';
import { batchItem, getParam, type ParamItem } from '../http/params.ts';
import { HandlerCrash, jsonReply, ok } from '../http/reply.ts';
import type { V4Route } from '../http/router.ts';
import { isParsableFilter, isValidTopic } from '../query/topic.ts';
import { BadPublishParams, isQos, respTopic, splitTopics } from './publish-params.ts';

const PARAM_TYPE_ERROR = 108;
const CLIENT_OFFLINE = 112;
const BAD_TOPIC = 115;
const BAD_QOS = 116;

type Result = { code: number; message?: string };

const badClientId: Result = { code: PARAM_TYPE_ERROR, message: 'bad clientid: must be string' };

/** `parse_subscribe_params/1` runs outside any `try`: a non-string topic crashes the handler. */
function filtersOf(items: readonly ParamItem[]): string[] {
  try {
    return splitTopics('filter', items);
  } catch (error) {
    if (error instanceof BadPublishParams) throw new HandlerCrash(error.message);
    throw error;
  }
}

/** `do_subscribe/3`. */
async function subscribe(ctx: V4Context, items: readonly ParamItem[]): Promise<Result> {
  const clientId = getParam(items, 'clientid');
  const filters = filtersOf(items);
  const qos = getParam(items, 'qos') ?? 0;
  if (typeof clientId !== 'string') return badClientId;
  if (filters.length === 0) return { code: BAD_TOPIC, message: 'bad_topic' };
  if (!isQos(qos)) return { code: BAD_QOS, message: 'bad_qos' };
  if (!filters.every(isParsableFilter)) throw new HandlerCrash('invalid_topic_filter');
  for (const filter of filters) {
    if (!(await ctx.broker.subscribe(clientId, filter, qos)))
      return { code: CLIENT_OFFLINE, message: 'channel_not_found' };
  }
  return { code: 0 };
}

/** `do_unsubscribe/2`: one topic, no comma splitting; an invalid one (or none) is `bad_topic`. */
async function unsubscribe(ctx: V4Context, items: readonly ParamItem[]): Promise<Result> {
  const clientId = getParam(items, 'clientid');
  const topic = getParam(items, 'topic');
  if (typeof clientId !== 'string') return badClientId;
  if (!isValidTopic('filter', topic)) return { code: BAD_TOPIC, message: 'bad_topic' };
  if (!isParsableFilter(topic)) throw new HandlerCrash('invalid_topic_filter');
  return (await ctx.broker.unsubscribe(clientId, topic))
    ? { code: 0 }
    : { code: CLIENT_OFFLINE, message: 'channel_not_found' };
}

const reply = (result: Result) => (result.code === 0 ? ok() : jsonReply(200, result));

/** `loop_subscribe/1` and `loop_unsubscribe/1`: `{clientid, topic, code}` per element (a missing clientid prints as "undefined"). */
async function batch(items: readonly ParamItem[], run: (item: readonly ParamItem[]) => Promise<Result>) {
  const data: unknown[] = [];
  for (const raw of items) {
    const item = batchItem(raw);
    const { code } = await run(item);
    data.push({ clientid: getParam(item, 'clientid') ?? 'undefined', topic: respTopic(item), code });
  }
  return ok(data);
}

const APP = 'emqx_management';

export function subscribeRoutes(ctx: V4Context): V4Route[] {
  return [
    {
      name: 'mqtt_subscribe',
      method: 'POST',
      path: '/mqtt/subscribe',
      descr: 'Subscribe a topic',
      app: APP,
      handler: async ({ params }) => reply(await subscribe(ctx, params.items)),
    },
    {
      name: 'mqtt_unsubscribe',
      method: 'POST',
      path: '/mqtt/unsubscribe',
      descr: 'Unsubscribe a topic',
      app: APP,
      handler: async ({ params }) => reply(await unsubscribe(ctx, params.items)),
    },
    {
      name: 'mqtt_subscribe_batch',
      method: 'POST',
      path: '/mqtt/subscribe_batch',
      descr: 'Batch subscribes topics',
      app: APP,
      handler: ({ params }) => batch(params.items, (item) => subscribe(ctx, item)),
    },
    {
      name: 'mqtt_unsubscribe_batch',
      method: 'POST',
      path: '/mqtt/unsubscribe_batch',
      descr: 'Batch unsubscribes topics',
      app: APP,
      handler: ({ params }) => batch(params.items, (item) => unsubscribe(ctx, item)),
    },
  ];
}
