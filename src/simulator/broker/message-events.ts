import type { Aedes, Client as AedesClient, AedesPublishPacket } from 'aedes';
import { messageEventColumns } from './rule-events.ts';
import {
  attachOrigin,
  type CoreState,
  DENIED_TOPIC,
  hasSubscriber,
  type MessageOrigin,
  originOf,
} from './state.ts';
import { topicMatches } from './topic.ts';

function ensureOrigin(
  state: CoreState,
  packet: AedesPublishPacket,
  client: AedesClient | null,
): MessageOrigin {
  const known = originOf(state, packet);
  if (known) return known;
  const origin = {
    id: state.nextMessageId(),
    publishAt: state.now(),
    fromClientId: client?.id ?? null,
    fromUsername: client ? (state.sessions.get(client.id)?.username ?? null) : null,
  };
  attachOrigin(state, packet, origin);
  return origin;
}

/** aedes queues QoS 1/2 messages for disconnected persistent sessions; EMQX shows them as `mqueue_len`. */
function countQueued(state: CoreState, packet: AedesPublishPacket): void {
  if (packet.qos === 0) return;
  for (const record of state.sessions.values()) {
    if (record.connection) continue;
    for (const sub of record.subscriptions.values()) {
      if (sub.qos > 0 && topicMatches(sub.filter, packet.topic)) {
        record.mqueueLen++;
        break;
      }
    }
  }
}

/** Accounts every message aedes routes: metrics, retained metadata, offline queues, then the rule engine. */
export function trackMessages(broker: Aedes, state: CoreState): void {
  broker.on('publish', (packet, client) => {
    if (packet.topic.startsWith('$SYS/') || packet.topic === DENIED_TOPIC) return;
    const origin = ensureOrigin(state, packet, client);
    state.metrics.inc('messages.publish');
    if (!hasSubscriber(state, packet.topic)) {
      state.metrics.inc('messages.dropped');
      state.metrics.inc('messages.dropped.no_subscribers');
    }
    if (packet.retain) {
      if (packet.payload.length === 0) state.retainedMeta.delete(packet.topic);
      else {
        state.metrics.inc('messages.retained');
        state.retainedMeta.set(packet.topic, origin);
      }
    }
    countQueued(state, packet);
    state.observe();
    const peerhost = client ? (state.sessions.get(client.id)?.ipAddress ?? null) : null;
    const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
    state.rules.process(messageEventColumns(state, { ...packet, payload }, origin, peerhost));
  });
}
