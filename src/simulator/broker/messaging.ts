import type { Aedes } from 'aedes';
import { type BrokerPersistence, readAll, type StoredPacket } from './persistence.ts';
import { attachOrigin, type CoreState, hasSubscriber, type MessageOrigin, originOf } from './state.ts';
import { isValidTopicName, topicMatches } from './topic.ts';
import type { PublishOutcome, PublishRequest, Qos, RetainedMessage } from './types.ts';

/** A message waiting in a session's queue (v5 `mqueue_messages` / `inflight_messages`). */
export interface QueuedMessage {
  msgid: string;
  topic: string;
  qos: Qos;
  payload: Buffer;
  publishAt: number;
  fromClientId: string | null;
  fromUsername: string | null;
  /** Epoch nanoseconds as a decimal string, as EMQX prints `inserted_at`. */
  insertedAt: string;
}

/** Who the management API publishes as (EMQX's `emqx_message:make(http_api, ...)`). */
export const API_PUBLISHER = 'http_api';

export function publishPacket(broker: Aedes, packet: StoredPacket & { dup: boolean }): Promise<void> {
  return new Promise((resolve, reject) =>
    broker.publish({ ...packet, cmd: 'publish' } as never, (error) => (error ? reject(error) : resolve())),
  );
}

/** Publishes as the management API does; `no_subscribers` still publishes (and retains) the message. */
export async function publishFromApi(
  state: CoreState,
  broker: Aedes | null,
  request: PublishRequest,
  origin: Partial<MessageOrigin> = {},
): Promise<PublishOutcome> {
  if (!isValidTopicName(request.topic)) return { status: 'invalid_topic' };
  const id = state.nextMessageId();
  const matched = hasSubscriber(state, request.topic);
  const packet: StoredPacket & { dup: boolean } = {
    cmd: 'publish',
    topic: request.topic,
    payload: request.payload,
    qos: request.qos ?? 0,
    retain: request.retain ?? false,
    dup: false,
  };
  attachOrigin(state, packet, {
    id,
    publishAt: state.now(),
    fromClientId: API_PUBLISHER,
    fromUsername: null,
    ...origin,
  });
  if (!broker) throw new Error('broker is not running');
  await publishPacket(broker, packet);
  return matched ? { status: 'delivered', id } : { status: 'no_subscribers', id };
}

function toRetained(state: CoreState, packet: StoredPacket): RetainedMessage {
  const origin = originOf(state, packet) ?? state.retainedMeta.get(packet.topic);
  return {
    msgid: origin?.id ?? state.nextMessageId(),
    topic: packet.topic,
    qos: packet.qos,
    payload: Buffer.from(packet.payload),
    publishAt: origin?.publishAt ?? state.now(),
    fromClientId: origin?.fromClientId ?? null,
    fromUsername: origin?.fromUsername ?? null,
  };
}

/** Retained messages whose topic matches the filter (`#` for all), read from aedes' retained store. */
export async function listRetained(
  state: CoreState,
  persistence: BrokerPersistence,
  filter = '#',
): Promise<RetainedMessage[]> {
  const packets = await readAll<StoredPacket>(persistence.createRetainedStream(filter));
  return packets.filter((p) => topicMatches(filter, p.topic)).map((p) => toRetained(state, p));
}

/** Removes a retained message the way MQTT does: an empty retained payload. False when none was stored. */
export async function deleteRetained(
  state: CoreState,
  persistence: BrokerPersistence,
  topic: string,
): Promise<boolean> {
  const existing = await readAll<StoredPacket>(persistence.createRetainedStream(topic));
  if (!existing.some((p) => p.topic === topic)) return false;
  await persistence.storeRetained({ cmd: 'publish', topic, payload: Buffer.alloc(0), qos: 0, retain: true });
  state.retainedMeta.delete(topic);
  state.observe();
  return true;
}

/**
 * Messages aedes holds for a persistent session and has not written yet, oldest first (those written and
 * awaiting an acknowledgement are inflight, not queued).
 */
export async function queuedMessages(
  state: CoreState,
  persistence: BrokerPersistence,
  clientId: string,
): Promise<QueuedMessage[]> {
  const inflight = state.sessions.get(clientId)?.inflight;
  const packets = await readAll<StoredPacket>(persistence.outgoingStream({ id: clientId }));
  // Nanosecond insertion times must be unique: they are the cursor positions of `mqueue_messages`.
  return packets
    .filter((packet) => packet.messageId === undefined || !inflight?.has(packet.messageId))
    .map((packet, index) => {
      const retained = toRetained(state, packet);
      return { ...retained, insertedAt: `${BigInt(retained.publishAt) * 1_000_000n + BigInt(index)}` };
    });
}

/** Deliveries written to a connected client and not acknowledged yet, oldest first. */
export function inflightMessages(state: CoreState, clientId: string): QueuedMessage[] {
  const entries = [...(state.sessions.get(clientId)?.inflight.values() ?? [])];
  return entries.map((entry) => {
    const payload = Buffer.from(entry.packet.payload);
    const packet = { ...entry.packet, cmd: 'publish' as const, payload, qos: entry.qos, retain: false };
    return { ...toRetained(state, packet), insertedAt: entry.insertedAt };
  });
}
