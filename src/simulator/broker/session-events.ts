import type { Aedes, Client as AedesClient, Subscription } from 'aedes';
import { checkConnectionQuota } from './alarms.ts';
import type { BrokerPersistence } from './persistence.ts';
import { clientEventColumns } from './rule-events.ts';
import { PERSISTENT_SESSION_EXPIRY_S, type SessionRecord, socketOf } from './session.ts';
import { type CoreState, liveConnections, normalizeIp } from './state.ts';
import { disconnectReason, type SystemMessages } from './system-messages.ts';

function openSession(state: CoreState, client: AedesClient): SessionRecord | undefined {
  const pending = state.pending.get(client);
  if (!pending) return undefined;
  const now = state.now();
  const previous = state.sessions.get(client.id);
  const resumed = previous !== undefined && !pending.clean;
  if (previous?.connection) state.metrics.inc('session.takenover');
  state.metrics.inc(resumed ? 'session.resumed' : 'session.created');
  const socket = socketOf(client);
  const record: SessionRecord = {
    clientId: client.id,
    username: pending.username,
    isSuperuser: pending.isSuperuser,
    ipAddress: normalizeIp(socket.remoteAddress),
    port: socket.remotePort ?? 0,
    protoName: pending.protoName,
    protoVer: pending.protoVer,
    keepalive: pending.keepalive,
    cleanStart: pending.clean,
    expiryInterval: pending.clean ? 0 : PERSISTENT_SESSION_EXPIRY_S,
    createdAt: resumed ? previous.createdAt : now,
    connectedAt: now,
    disconnectedAt: null,
    connection: client,
    subscriptions: resumed ? previous.subscriptions : new Map(),
    counters: pending.counters,
    socket,
    inflight: new Map(),
    inflightSeq: 0,
    mqueueLen: 0,
    discardOnClose: false,
  };
  state.sessions.set(client.id, record);
  return record;
}

function closeSession(state: CoreState, persistence: () => BrokerPersistence, client: AedesClient): void {
  const record = state.sessions.get(client.id);
  if (!record || record.connection !== client) return;
  const socket = socketOf(client);
  state.closedBytes.read += socket.bytesRead ?? 0;
  state.closedBytes.written += socket.bytesWritten ?? 0;
  record.connection = null;
  record.disconnectedAt = state.now();
  record.inflight.clear();
  // The cache lives in the connection's process: it goes with the connection, even when the session stays.
  state.authzCache.delete(client.id);
  state.metrics.inc('client.disconnected');
  if (record.cleanStart || record.discardOnClose || record.expiryInterval === 0) {
    state.sessions.delete(client.id);
    state.metrics.inc(record.discardOnClose ? 'session.discarded' : 'session.terminated');
    void persistence().cleanSubscriptions({ id: client.id });
  }
}

/** SUBSCRIBE results (granted QoS 128 means refused); API-made subscriptions send no SUBACK. */
function onSubscribe(state: CoreState, subs: Subscription[], client: AedesClient): void {
  const record = state.sessions.get(client.id);
  const fromApi = subs.some((s) => state.apiSubscriptions.has(s));
  if (record && !fromApi) {
    record.counters.sendPkt++;
    record.counters.sendCnt++;
    state.metrics.inc('packets.suback.sent');
    state.metrics.inc('packets.sent');
  }
  for (const sub of subs) {
    // aedes reports a refused subscription with the SUBACK failure code as its granted QoS.
    if ((sub.qos as number) === 128 || !record) continue;
    const group = state.shareGroups.get(sub);
    const key = group === undefined ? sub.topic : `$share/${group}/${sub.topic}`;
    const { nl, rap, rh } = sub as { nl?: boolean | number; rap?: boolean | number; rh?: number };
    record.subscriptions.set(key, {
      filter: sub.topic,
      qos: sub.qos as 0 | 1 | 2,
      nl: nl ? 1 : 0,
      rap: rap ? 1 : 0,
      rh: (rh ?? 0) as 0 | 1 | 2,
    });
    state.metrics.inc('client.subscribe');
  }
  state.observe();
}

/** aedes also reports the unsubscriptions of a closing clean session; the session table handles those. */
function onUnsubscribe(state: CoreState, topics: string[], client: AedesClient): void {
  const record = state.sessions.get(client.id);
  if (!record || client.closed) return;
  for (const topic of topics) {
    for (const [key, sub] of record.subscriptions) {
      if (key === topic || (sub.filter === topic && key.startsWith('$share/')))
        record.subscriptions.delete(key);
    }
    state.metrics.inc('client.unsubscribe');
  }
}

/** Keeps the session table in step with aedes: connects, disconnects, (un)subscriptions, pings. */
export function trackSessions(
  broker: Aedes,
  state: CoreState,
  persistence: () => BrokerPersistence,
  system: SystemMessages,
): void {
  broker.on('client', (client) => {
    const record = openSession(state, client);
    state.metrics.inc('client.connected');
    checkConnectionQuota(state.alarms, liveConnections(state), state.connectionQuota);
    state.observe();
    if (!record) return;
    state.rules.process(clientEventColumns(state, record, 'client_connected'));
    system.clientConnected(record, client);
  });
  broker.on('clientDisconnect', (client) => {
    const record = state.sessions.get(client.id);
    // A connection that was taken over no longer owns the session: its end is not the session's.
    if (!record || record.connection !== client) return;
    const reason = disconnectReason(state.disconnectReasons, client);
    closeSession(state, persistence, client);
    checkConnectionQuota(state.alarms, liveConnections(state), state.connectionQuota);
    state.rules.process(clientEventColumns(state, record, 'client_disconnected', reason));
    system.clientDisconnected(record, client, reason);
  });
  broker.on('keepaliveTimeout', (client) => state.disconnectReasons.set(client, 'keepalive_timeout'));
  broker.on('connackSent', (_packet, client) => {
    const counters = state.pending.get(client)?.counters;
    if (counters) {
      counters.sendPkt++;
      counters.sendCnt++;
    }
    state.metrics.inc('client.connack');
    state.metrics.inc('packets.connack.sent');
    state.metrics.inc('packets.sent');
  });
  broker.on('subscribe', (subs, client) => onSubscribe(state, subs, client));
  broker.on('unsubscribe', (topics, client) => onUnsubscribe(state, topics, client));
}
