import type { SimResponse } from '../../types.ts';
import type { V4Context } from '../context.ts';
import { batchItemOrNull, getParam, type ParamItem } from '../http/params.ts';
import { HandlerCrash, jsonReply, ok } from '../http/reply.ts';
import type { V4Call, V4Route } from '../http/router.ts';
import { BadPublishParams, isQos, type ParsedPublish, parsePublish, respTopic } from './publish-params.ts';

const PARAM_TYPE_ERROR = 108;
const BAD_TOPIC = 115;

type Outcome = { code: 0; msgids: string[] } | { code: number; message: string };

/**
 * `do_publish/6`. A QoS other than 0/1/2 fails `emqx_message:make/6`'s guard outside any `try`: HTTP 500.
 * EMQX 4.4's guard also lets an absent `clientid` through, but seed 003 marks it required for `publish` and
 * every `publish_batch` item: the simulator holds callers to the seed, answering an absent one with the
 * same `{code: 108}` EMQX gives a clientid that is not a string.
 */
async function publishAll(ctx: V4Context, parsed: ParsedPublish): Promise<Outcome> {
  const { clientId, topics } = parsed;
  if (typeof clientId !== 'string') {
    return { code: PARAM_TYPE_ERROR, message: 'bad clientid: must be string' };
  }
  if (topics.length === 0) return { code: BAD_TOPIC, message: 'bad_topic' };
  if (!isQos(parsed.qos)) throw new HandlerCrash('function_clause: emqx_message:make/6');
  const msgids: string[] = [];
  for (const topic of topics) {
    const message = { topic, payload: parsed.payload, qos: parsed.qos, retain: parsed.retain === true };
    msgids.push(await ctx.broker.publish({ ...message, from: clientId }));
  }
  return { code: 0, msgids };
}

function parseOrNull(items: readonly ParamItem[]): ParsedPublish | null {
  try {
    return parsePublish(items);
  } catch (error) {
    if (error instanceof BadPublishParams) return null;
    throw error;
  }
}

/** `publish/2`: `{code:0}`, or with a `return` key the message id(s). */
async function publishOne(ctx: V4Context, call: V4Call): Promise<SimResponse> {
  const items = call.params.items;
  const parsed = parseOrNull(items);
  if (!parsed) return jsonReply(200, { code: PARAM_TYPE_ERROR, message: 'bad_params' });
  const outcome = await publishAll(ctx, parsed);
  if (!('msgids' in outcome)) return jsonReply(200, outcome);
  if (getParam(items, 'return') === undefined) return ok();
  if (getParam(items, 'topics') === undefined) return ok({ msgid: outcome.msgids.at(-1) });
  return ok({ msgids: outcome.msgids });
}

/** `loop_publish/1`: one `{topic, code}` per element, `{code:108, message}` for one that does not parse. */
async function publishBatch(ctx: V4Context, call: V4Call): Promise<SimResponse> {
  const data: unknown[] = [];
  for (const item of call.params.items) {
    const items = batchItemOrNull(item);
    const parsed = items && parseOrNull(items);
    if (!items || !parsed) data.push({ code: PARAM_TYPE_ERROR, message: 'bad_params' });
    else data.push({ topic: respTopic(items), code: (await publishAll(ctx, parsed)).code });
  }
  return ok(data);
}

const APP = 'emqx_management';

export function publishRoutes(ctx: V4Context): V4Route[] {
  return [
    {
      name: 'mqtt_publish',
      method: 'POST',
      path: '/mqtt/publish',
      descr: 'Publish a MQTT message',
      app: APP,
      handler: (call) => publishOne(ctx, call),
    },
    {
      name: 'mqtt_publish_batch',
      method: 'POST',
      path: '/mqtt/publish_batch',
      descr: 'Batch publish MQTT messages',
      app: APP,
      handler: (call) => publishBatch(ctx, call),
    },
  ];
}
