import type { SessionRecord } from './session.ts';
import type { MqttClientInfo, SubscriptionInfo } from './types.ts';

/** EMQX defaults for the limits shown on every client (`mqtt.max_inflight`, `max_mqueue_len`, ...). */
const LIMITS = { inflightMax: 32, awaitingRelMax: 100, mqueueMax: 1000 } as const;

export function toClientInfo(record: SessionRecord, node: string): MqttClientInfo {
  const connected = record.connection !== null;
  return {
    clientId: record.clientId,
    username: record.username,
    node,
    connected,
    connState: connected ? 'connected' : 'disconnected',
    protoName: record.protoName,
    protoVer: record.protoVer,
    ipAddress: record.ipAddress,
    port: record.port,
    listener: 'tcp:default',
    mountpoint: null,
    isBridge: false,
    isSuperuser: record.isSuperuser,
    cleanStart: record.cleanStart,
    keepalive: record.keepalive,
    expiryInterval: record.expiryInterval,
    createdAt: record.createdAt,
    connectedAt: record.connectedAt,
    disconnectedAt: record.disconnectedAt,
    subscriptionsCnt: record.subscriptions.size,
    subscriptionsMax: 'infinity',
    inflightCnt: record.inflight.size,
    inflightMax: LIMITS.inflightMax,
    awaitingRelCnt: 0,
    awaitingRelMax: LIMITS.awaitingRelMax,
    mqueueLen: record.mqueueLen,
    mqueueMax: LIMITS.mqueueMax,
    mqueueDropped: 0,
    // Erlang process figures have no Node equivalent; these grow with traffic like the real ones do.
    heapSize: 610 + record.subscriptions.size * 48,
    reductions: 6836 + (record.counters.recvPkt + record.counters.sendPkt) * 512,
    mailboxLen: 0,
    counters: {
      ...record.counters,
      recvOct: record.socket.bytesRead ?? 0,
      sendOct: record.socket.bytesWritten ?? 0,
    },
  };
}

export function toSubscriptions(record: SessionRecord, node: string): SubscriptionInfo[] {
  return [...record.subscriptions].map(([topic, sub]) => ({
    clientId: record.clientId,
    topic,
    qos: sub.qos,
    nl: sub.nl,
    rap: sub.rap,
    rh: sub.rh,
    node,
  }));
}
