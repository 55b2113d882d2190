import { z } from 'zod';
import type { PublishMessage } from '../../../validation/payload.ts';
import type { BrokerTransport } from '../../api.ts';
import { parseBody } from '../../call.ts';
import type { BrokerWriteApi, PublishOutcome } from '../../write-api.ts';
import { itemError, requireOnePerItem, writePath } from '../../write-support.ts';
import { refuseCommaTopic } from './checks.ts';

/**
 * v4 publish (docs/emqx-api.md §3.4): `encoding` (not `payload_encoding`); a `return` key makes EMQX answer the
 * message id. v4 never says whether anybody was subscribed, so `delivered` is null. The batch answers one
 * `{topic, code}` per message, in order. Every message carries `clientid`, which seed 003 marks required
 * (CONTRACT.md §5): the configured `upstream.publishClientId`.
 */

export const v4WireMessage = (m: PublishMessage, clientId: string) => ({
  clientid: clientId,
  topic: m.topic,
  payload: m.payload,
  encoding: m.encoding === 'BASE64' ? 'base64' : 'plain',
  qos: m.qos,
  retain: m.retain,
});

const publishSchema = z.object({
  code: z.literal(0),
  data: z.object({ msgid: z.string().optional() }).optional(),
});
const batchSchema = z.object({
  code: z.literal(0),
  data: z.array(z.object({ code: z.number(), message: z.string().optional() })),
});

export function v4PublishWrites(
  t: BrokerTransport,
  clientId: string,
): Pick<BrokerWriteApi, 'publish' | 'publishBatch'> {
  async function publish(message: PublishMessage): Promise<PublishOutcome> {
    refuseCommaTopic(message.topic, 'input.topic');
    const path = writePath('/mqtt/publish');
    const body = { ...v4WireMessage(message, clientId), return: true };
    const reply = await t.send({ domain: 'publish', method: 'POST', path, body });
    const data = parseBody(publishSchema, reply.body, path.route).data;
    return { topic: message.topic, messageId: data?.msgid ?? null, delivered: null };
  }

  async function publishBatch(messages: PublishMessage[]) {
    for (const [i, m] of messages.entries()) refuseCommaTopic(m.topic, `messages.${i}.topic`);
    const path = writePath('/mqtt/publish_batch');
    const reply = await t.send({
      domain: 'publish',
      method: 'POST',
      path,
      body: messages.map((m) => v4WireMessage(m, clientId)),
    });
    const results = parseBody(batchSchema, reply.body, path.route).data;
    requireOnePerItem(path.route, results.length, messages.length);
    return results.map((result, i) =>
      result.code === 0
        ? { topic: messages[i]!.topic, messageId: null, delivered: null }
        : itemError(result.code, result.message ?? `code ${result.code}`, 200),
    );
  }

  return { publish, publishBatch };
}
