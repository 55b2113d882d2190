import type { InboundMessage } from './mqtt-link.ts';

/** A message as `mqttMessages` delivers it: text when the bytes are UTF-8, else base64; none above the cap. */
export interface LiveMessage {
  topic: string;
  payload: string | null;
  payloadEncoding: 'PLAIN' | 'BASE64';
  payloadBytes: number;
  qos: number;
  retain: boolean;
  receivedAt: Date;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function text(payload: Buffer): { text: string; encoding: LiveMessage['payloadEncoding'] } {
  try {
    return { text: utf8.decode(payload), encoding: 'PLAIN' };
  } catch {
    return { text: payload.toString('base64'), encoding: 'BASE64' };
  }
}

/** One message reaches every stream on its filter as the same object: it is decoded once for all of them. */
const decoded = new WeakMap<InboundMessage, LiveMessage>();

/**
 * `maxPayloadBytes` bounds what one event may carry; larger payloads keep their size and lose their bytes.
 * The result is shared between streams: never change it.
 */
export function toLiveMessage(message: InboundMessage, maxPayloadBytes: number): LiveMessage {
  let live = decoded.get(message);
  if (!live) {
    live = decode(message, maxPayloadBytes);
    decoded.set(message, live);
  }
  return live;
}

function decode(message: InboundMessage, maxPayloadBytes: number): LiveMessage {
  const tooLarge = message.payload.length > maxPayloadBytes;
  const body = tooLarge ? null : text(message.payload);
  return {
    topic: message.topic,
    payload: body?.text ?? null,
    payloadEncoding: body?.encoding ?? 'BASE64',
    payloadBytes: message.payload.length,
    qos: message.qos,
    retain: message.retain,
    receivedAt: new Date(message.receivedAt),
  };
}
