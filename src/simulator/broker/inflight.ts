import type { Client as AedesClient } from 'aedes';
import type { CoreState } from './state.ts';
import type { Qos } from './types.ts';

/** A publish aedes is about to write to a subscriber (an `aedes-packet`, or a stored one on resume). */
export interface ForwardedPacket {
  topic: string;
  payload: Buffer | string;
  qos: number;
  messageId?: number;
  properties?: object;
}

/** A QoS 1/2 delivery written to the client and not acknowledged yet (PUBACK, or PUBCOMP for QoS 2). */
export interface InflightEntry {
  messageId: number;
  packet: ForwardedPacket;
  qos: Qos;
  /** Epoch nanoseconds as a decimal string, unique per session: EMQX's `inserted_at` and cursor. */
  insertedAt: string;
}

/** The parts of an aedes client that decide a delivery's packet identifier and QoS. */
interface ClientInternals {
  _nextId: number;
  subscriptions?: Record<string, { qos?: number }>;
}

const MAX_PACKET_ID = 65535;

/**
 * The QoS a delivery is written with, as aedes computes it after `authorizeForward`: 0 through a QoS 0
 * subscription, otherwise capped by an exact-topic subscription's QoS.
 */
export function deliveryQos(client: AedesClient, packet: ForwardedPacket, viaQos0: boolean): Qos {
  if (viaQos0) return 0;
  const exact = (client as unknown as ClientInternals).subscriptions?.[packet.topic]?.qos;
  return Math.min(packet.qos, exact ?? packet.qos) as Qos;
}

/**
 * Records a QoS 1/2 delivery as inflight and returns the packet aedes should write. The packet identifier is
 * taken here the way aedes' `QoSPacket` would take it (a packet that already has one keeps it), so the
 * client's PUBACK can be matched to the message.
 */
export function trackInflight<P extends ForwardedPacket>(
  state: CoreState,
  client: AedesClient,
  packet: P,
  qos: Qos,
): P {
  const record = state.sessions.get(client.id);
  if (!record || record.connection !== client) return packet;
  let forwarded = packet;
  if (!packet.messageId) {
    const internals = client as unknown as ClientInternals;
    forwarded = { ...packet, messageId: internals._nextId };
    internals._nextId = internals._nextId >= MAX_PACKET_ID ? 1 : internals._nextId + 1;
  }
  const messageId = forwarded.messageId as number;
  const insertedAt = `${BigInt(state.now()) * 1_000_000n + BigInt(record.inflightSeq++ % 1_000_000)}`;
  record.inflight.set(messageId, { messageId, packet: forwarded, qos, insertedAt });
  return forwarded;
}

/** The client acknowledged a delivery: PUBACK for QoS 1, PUBCOMP for QoS 2 (a PUBREC keeps it inflight). */
export function acknowledge(state: CoreState, client: AedesClient, cmd: string, messageId: number): void {
  const record = state.sessions.get(client.id);
  const entry = record?.inflight.get(messageId);
  if (!record || !entry) return;
  if ((cmd === 'puback' && entry.qos === 1) || (cmd === 'pubcomp' && entry.qos === 2))
    record.inflight.delete(messageId);
}

type Deliver = (packet: unknown, done: () => void) => void;

/**
 * Tells whether a client is inside aedes' `deliver0` (delivery through a QoS 0 subscription), which calls
 * `authorizeForward` synchronously: the packet there still carries the publisher's QoS.
 */
export interface Qos0Watch {
  has(client: AedesClient): boolean;
  /** Wraps the client's `deliver0` before any subscription captures it. */
  watch(client: AedesClient): void;
}

export function createQos0Watch(): Qos0Watch {
  const active = new WeakSet<AedesClient>();
  return {
    has: (client) => active.has(client),
    watch(client) {
      const internals = client as unknown as { deliver0: Deliver };
      const deliver0 = internals.deliver0;
      internals.deliver0 = (packet, done) => {
        active.add(client);
        try {
          deliver0(packet, done);
        } finally {
          active.delete(client);
        }
      };
    },
  };
}
