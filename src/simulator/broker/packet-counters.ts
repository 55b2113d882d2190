import type { EventEmitter } from 'node:events';
import type { Client as AedesClient } from 'aedes';
import { acknowledge } from './inflight.ts';
import type { MetricName } from './metrics.ts';
import type { CoreState } from './state.ts';
import type { ClientCounters, Qos } from './types.ts';

interface ParsedPacket {
  cmd: string;
  qos?: Qos;
  messageId?: number;
}

/** The acknowledgement the broker writes for an inbound packet, if any. */
const REPLY: Record<string, MetricName | undefined> = {
  pingreq: 'packets.pingresp.sent',
  unsubscribe: 'packets.unsuback.sent',
  pubrel: 'packets.pubcomp.sent',
};

function countPublish(state: CoreState, counters: ClientCounters, qos: Qos): void {
  counters.recvMsg++;
  counters[`recvMsgQos${qos}`]++;
  state.metrics.inc('messages.received');
  state.metrics.inc(`messages.qos${qos}.received`);
  if (qos === 0) return;
  counters.sendPkt++;
  counters.sendCnt++;
  state.metrics.inc(qos === 1 ? 'packets.puback.sent' : 'packets.pubrec.sent');
  state.metrics.inc('packets.sent');
}

/**
 * Counts every packet the client sends (recv_pkt/recv_msg) and the acks the broker answers with, by
 * listening to the connection's MQTT parser — aedes has no per-packet event for most packet types.
 */
export function countInboundPackets(state: CoreState, client: AedesClient, counters: ClientCounters): void {
  const onPacket = (packet: ParsedPacket) => {
    counters.recvPkt++;
    counters.recvCnt++;
    state.metrics.inc('packets.received');
    const received = `packets.${packet.cmd}.received`;
    if (state.metrics.has(received)) state.metrics.inc(received);
    if (packet.cmd === 'publish') countPublish(state, counters, packet.qos ?? 0);
    if (packet.cmd === 'puback' || packet.cmd === 'pubcomp') {
      acknowledge(state, client, packet.cmd, packet.messageId ?? 0);
      state.metrics.inc('messages.acked');
    }
    const reply = REPLY[packet.cmd];
    if (reply) {
      counters.sendPkt++;
      counters.sendCnt++;
      state.metrics.inc(reply);
      state.metrics.inc('packets.sent');
    }
  };
  // The CONNECT that brought us here was parsed before the hook could listen.
  onPacket({ cmd: 'connect' });
  (client as unknown as { _parser: EventEmitter })._parser.on('packet', onPacket);
}

/** One message written to a subscriber (aedes calls `authorizeForward` once per delivery). */
export function countDelivery(state: CoreState, client: AedesClient, qos: Qos): void {
  const record = state.sessions.get(client.id);
  if (record && record.connection === client) {
    record.counters.sendMsg++;
    record.counters.sendPkt++;
    record.counters.sendCnt++;
    record.counters[`sendMsgQos${qos}`]++;
  }
  state.metrics.inc('messages.sent');
  state.metrics.inc('messages.delivered');
  state.metrics.inc(`messages.qos${qos}.sent`);
  state.metrics.inc('packets.publish.sent');
  state.metrics.inc('packets.sent');
}
