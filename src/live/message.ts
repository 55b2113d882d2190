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

function decode(payload: Buffer): { text: string; encoding: LiveMessage['payloadEncoding'] } {
  try {
    return { text: utf8.decode(payload), encoding: 'PLAIN' };
  } catch {
    return { text: payload.toString('base64'), encoding: 'BASE64' };
  }
}

/** `maxPayloadBytes` bounds what one event may carry; larger payloads keep their size and lose their bytes. */
export function toLiveMessage(message: InboundMessage, maxPayloadBytes: number): LiveMessage {
  const tooLarge = message.payload.length > maxPayloadBytes;
  const decoded = tooLarge ? null : decode(message.payload);
  return {
    topic: message.topic,
    payload: decoded?.text ?? null,
    payloadEncoding: decoded?.encoding ?? 'BASE64',
    payloadBytes: message.payload.length,
    qos: message.qos,
    retain: message.retain,
    receivedAt: new Date(message.receivedAt),
  };
}
