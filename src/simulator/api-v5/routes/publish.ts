import type { BrokerCore } from '../../broker/core.ts';
import { isValidTopicName } from '../../broker/topic.ts';
import type { PublishOutcome, PublishRequest, Qos } from '../../broker/types.ts';
import { json, type SimResponse } from '../../types.ts';
import { arrayBody, isRecord, objectBody } from '../http/body.ts';
import { ApiError, badRequest } from '../http/reply.ts';
import type { Route } from '../http/router.ts';

/** `mqtt.max_packet_size` default. */
const MAX_PACKET_SIZE = 1024 * 1024;

/** MQTT 5 reason-code errors of `emqx_mgmt_api_publish` (these use `reason_code`, not `code`). */
class ReasonCodeError extends Error {
  constructor(
    readonly status: number,
    readonly reasonCode: number,
    message: string,
  ) {
    super(message);
  }
}

const reasonReply = (status: number, reasonCode: number, message: string): SimResponse =>
  json(status, { reason_code: reasonCode, message });

function decodePayload(payload: string, encoding: unknown): Buffer {
  if (encoding === undefined || encoding === 'plain') return Buffer.from(payload);
  if (encoding !== 'base64')
    throw badRequest(`Bad Request: payload_encoding expected enum(plain,base64), got: ${String(encoding)}`);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(payload) || payload.length % 4 === 1) {
    throw new ReasonCodeError(400, 131, 'Invalid payload: expected base64 encoded data');
  }
  return Buffer.from(payload, 'base64');
}

/** Schema check first (400 BAD_REQUEST), then the MQTT checks that answer with a reason code. */
function parseMessage(body: unknown): PublishRequest {
  if (!isRecord(body)) throw badRequest('Bad Request: message must be an object');
  if (typeof body.topic !== 'string') throw badRequest('Bad Request: Missing required parameter: topic');
  if (typeof body.payload !== 'string') throw badRequest('Bad Request: Missing required parameter: payload');
  const qos = body.qos ?? 0;
  if (qos !== 0 && qos !== 1 && qos !== 2)
    throw badRequest(`Bad Request: qos expected type is qos(0..2), got: ${JSON.stringify(qos)}`);
  const retain = body.retain ?? false;
  if (typeof retain !== 'boolean') throw badRequest('Bad Request: retain expected type is boolean');
  if (body.properties !== undefined && !isRecord(body.properties))
    throw badRequest('Bad Request: properties must be an object');
  const payload = decodePayload(body.payload, body.payload_encoding ?? body.encoding);
  if (!isValidTopicName(body.topic)) throw new ReasonCodeError(400, 144, 'topic_name_invalid');
  if (payload.length + Buffer.byteLength(body.topic) > MAX_PACKET_SIZE)
    throw new ReasonCodeError(400, 151, 'packet_too_large');
  return { topic: body.topic, payload, qos: qos as Qos, retain };
}

type Entry = { status: 200 | 202 | 503; body: Record<string, unknown> };

async function publishOne(core: BrokerCore, message: PublishRequest): Promise<Entry> {
  let outcome: PublishOutcome;
  try {
    outcome = await core.publish(message);
  } catch {
    return { status: 503, body: { reason_code: 131, message: 'failed_to_dispatch' } };
  }
  if (outcome.status === 'delivered') return { status: 200, body: { id: outcome.id } };
  if (outcome.status === 'no_subscribers')
    return { status: 202, body: { reason_code: 16, message: 'no_matching_subscribers' } };
  throw new ReasonCodeError(400, 144, 'topic_name_invalid');
}

async function withReasonCodes(run: () => Promise<SimResponse>): Promise<SimResponse> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ReasonCodeError) return reasonReply(error.status, error.reasonCode, error.message);
    throw error;
  }
}

/** `POST /publish` and `POST /publish/bulk`. */
export function publishRoutes(core: BrokerCore): Route[] {
  return [
    {
      path: '/publish',
      methods: {
        POST: ({ request }) =>
          withReasonCodes(async () => {
            const entry = await publishOne(core, parseMessage(objectBody(request)));
            return json(entry.status, entry.body);
          }),
      },
    },
    {
      path: '/publish/bulk',
      methods: {
        POST: ({ request }) =>
          withReasonCodes(async () => {
            const messages = arrayBody(request).map(parseMessage);
            if (messages.length === 0)
              throw new ApiError(500, 'INTERNAL_ERROR', 'error: {errror,no_message}');
            const entries: Entry[] = [];
            for (const message of messages) entries.push(await publishOne(core, message));
            const status = entries.some((e) => e.status === 503)
              ? 503
              : entries.some((e) => e.status === 202)
                ? 202
                : 200;
            return json(
              status,
              entries.map((e) => e.body),
            );
          }),
      },
    },
  ];
}
