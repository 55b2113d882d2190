import { z } from 'zod';
import type { PublishMessage } from '../../../validation/payload.ts';
import type { BrokerTransport } from '../../api.ts';
import { parseBody } from '../../call.ts';
import type { BrokerWriteApi, ItemResult, PublishOutcome } from '../../write-api.ts';
import { itemError, writePath } from '../../write-support.ts';

/**
 * v5 publish (docs/emqx-api.md §4.3): 200 `{id}` delivered, 202 `{reason_code: 16}` nobody subscribed (a success),
 * 503 `{reason_code: 131}` failed to dispatch. The bulk answer is an array in request order.
 */

const wireMessage = (m: PublishMessage) => ({
  topic: m.topic,
  payload: m.payload,
  payload_encoding: m.encoding === 'BASE64' ? 'base64' : 'plain',
  qos: m.qos,
  retain: m.retain,
});

const entrySchema = z.union([
  z.object({ id: z.string() }),
  z.object({ reason_code: z.number(), message: z.string().optional() }),
]);

function outcomeOf(topic: string, entry: z.infer<typeof entrySchema>): ItemResult<PublishOutcome> {
  if ('id' in entry) return { topic, messageId: entry.id, delivered: true };
  if (entry.reason_code === 16) return { topic, messageId: null, delivered: false };
  return itemError(entry.reason_code, entry.message ?? 'publish failed', 503);
}

export function v5PublishWrites(t: BrokerTransport): Pick<BrokerWriteApi, 'publish' | 'publishBatch'> {
  async function publish(message: PublishMessage) {
    const path = writePath('/publish');
    const reply = await t.send({ domain: 'publish', method: 'POST', path, body: wireMessage(message) });
    const outcome = outcomeOf(message.topic, parseBody(entrySchema, reply.body, path.route));
    if (outcome instanceof Error) throw outcome;
    return outcome;
  }

  async function publishBatch(messages: PublishMessage[]) {
    const path = writePath('/publish/bulk');
    const reply = await t.send({
      domain: 'publish',
      method: 'POST',
      path,
      body: messages.map(wireMessage),
      // 503 still carries one entry per message: the ones that were dispatched are not lost.
      accept: [503],
    });
    const entries = parseBody(z.array(entrySchema).length(messages.length), reply.body, path.route);
    return entries.map((entry, i) => outcomeOf(messages[i]!.topic, entry));
  }

  return { publish, publishBatch };
}
