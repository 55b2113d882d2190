import { counterFields } from '../../broker/counter-fields.ts';
import { emptyCounters } from '../../broker/session.ts';
import type { MqttClientInfo, SubscriptionInfo } from '../../broker/types.ts';
import { rfc3339 } from './time.ts';

/** The v5 client object (`emqx_mgmt_api_clients:format_channel_info`), keys in EMQX's order. */
export function formatClient(client: MqttClientInfo): Record<string, unknown> {
  const c = client.counters;
  return {
    clientid: client.clientId,
    username: client.username,
    node: client.node,
    connected: client.connected,
    proto_name: client.protoName,
    proto_ver: client.protoVer,
    ip_address: client.ipAddress,
    port: client.port,
    peerport: client.port,
    listener: client.listener,
    mountpoint: client.mountpoint,
    is_bridge: client.isBridge,
    clean_start: client.cleanStart,
    keepalive: client.keepalive,
    expiry_interval: client.expiryInterval,
    created_at: rfc3339(client.createdAt),
    connected_at: rfc3339(client.connectedAt),
    ...(client.disconnectedAt === null ? {} : { disconnected_at: rfc3339(client.disconnectedAt) }),
    enable_authn: true,
    is_persistent: false,
    durable: false,
    subscriptions_cnt: client.subscriptionsCnt,
    subscriptions_max: client.subscriptionsMax,
    inflight_cnt: client.inflightCnt,
    inflight_max: client.inflightMax,
    awaiting_rel_cnt: client.awaitingRelCnt,
    awaiting_rel_max: client.awaitingRelMax,
    mqueue_len: client.mqueueLen,
    mqueue_max: client.mqueueMax,
    mqueue_dropped: client.mqueueDropped,
    heap_size: client.heapSize,
    reductions: client.reductions,
    mailbox_len: client.mailboxLen,
    ...counterFields(c, 'await_pubrel_timeout'),
    client_attrs: {},
  };
}

const SAMPLE: MqttClientInfo = {
  clientId: '',
  username: null,
  node: '',
  connected: false,
  connState: 'disconnected',
  protoName: '',
  protoVer: 4,
  ipAddress: '',
  port: 0,
  listener: '',
  mountpoint: null,
  isBridge: false,
  isSuperuser: false,
  cleanStart: true,
  keepalive: 0,
  expiryInterval: 0,
  createdAt: 0,
  connectedAt: 0,
  disconnectedAt: 0,
  subscriptionsCnt: 0,
  subscriptionsMax: 'infinity',
  inflightCnt: 0,
  inflightMax: 0,
  awaitingRelCnt: 0,
  awaitingRelMax: 0,
  mqueueLen: 0,
  mqueueMax: 0,
  mqueueDropped: 0,
  heapSize: 0,
  reductions: 0,
  mailboxLen: 0,
  counters: emptyCounters(),
};

/** Names `fields=` accepts: every client key, `disconnected_at` and `client_attrs` included. */
export const CLIENT_FIELDS: ReadonlySet<string> = new Set(Object.keys(formatClient(SAMPLE)));

/** `fields=all` (default) or a comma list; unknown names are a 400 in EMQX's schema. */
export function projectClient(formatted: Record<string, unknown>, fields: string[] | 'all') {
  if (fields === 'all') {
    // `client_attrs` is only shown when asked for by name.
    const { client_attrs: _, ...rest } = formatted;
    return rest;
  }
  return Object.fromEntries(fields.filter((f) => f in formatted).map((f) => [f, formatted[f]]));
}

export function formatSubscription(sub: SubscriptionInfo): Record<string, unknown> {
  return {
    node: sub.node,
    topic: sub.topic,
    clientid: sub.clientId,
    qos: sub.qos,
    nl: sub.nl,
    rap: sub.rap,
    rh: sub.rh,
    durable: false,
  };
}
