import { z } from 'zod';
import { qos, topicName } from './mqtt-topic.ts';
import { isValidUtf8 } from './text.ts';

/** How a payload string is to be read: as UTF-8 text, or as base64 of arbitrary bytes. */
export const PAYLOAD_ENCODINGS = ['PLAIN', 'BASE64'] as const;
export type PayloadEncoding = (typeof PAYLOAD_ENCODINGS)[number];

/** Canonical base64 with padding (RFC 4648 §4); Buffer.from would silently skip bad characters. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export const isBase64 = (value: string) => BASE64.test(value);

/** The size EMQX will see: the decoded bytes for base64, the UTF-8 bytes for text. */
export function payloadBytes(payload: string, encoding: PayloadEncoding): number {
  if (encoding === 'BASE64') {
    const padding = payload.endsWith('==') ? 2 : payload.endsWith('=') ? 1 : 0;
    return (payload.length / 4) * 3 - padding;
  }
  return Buffer.byteLength(payload, 'utf8');
}

export interface PublishMessage {
  topic: string;
  payload: string;
  encoding: PayloadEncoding;
  qos: 0 | 1 | 2;
  retain: boolean;
}

/**
 * One message to publish. The size limit comes from the gateway configuration, so the schema is built
 * per gateway (cheap; zod schemas are plain objects).
 */
export function publishMessage(maxPayloadBytes: number) {
  return z
    .object({
      topic: topicName,
      payload: z.string(),
      encoding: z
        .enum(PAYLOAD_ENCODINGS)
        .nullish()
        .transform((e) => e ?? 'PLAIN'),
      qos: qos.nullish().transform((q) => (q ?? 0) as 0 | 1 | 2),
      retain: z
        .boolean()
        .nullish()
        .transform((r) => r ?? false),
    })
    .superRefine((message, ctx) => {
      if (message.encoding === 'PLAIN' && !isValidUtf8(message.payload)) {
        ctx.addIssue({ code: 'custom', path: ['payload'], message: 'payload is not valid UTF-8' });
        return;
      }
      if (message.encoding === 'BASE64' && !isBase64(message.payload)) {
        ctx.addIssue({ code: 'custom', path: ['payload'], message: 'payload is not valid base64' });
        return;
      }
      const size = payloadBytes(message.payload, message.encoding);
      if (size > maxPayloadBytes) {
        ctx.addIssue({
          code: 'custom',
          path: ['payload'],
          message: `payload is ${size} bytes; the limit is ${maxPayloadBytes}`,
        });
      }
    }) satisfies z.ZodType<PublishMessage, unknown>;
}
