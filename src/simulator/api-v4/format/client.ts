import { counterFields } from '../../broker/counter-fields.ts';
import type { MqttClientInfo } from '../../broker/types.ts';
import { strftime } from './units.ts';

/** The zone every simulated connection belongs to (EMQX 4.4's default listener zone). */
export const DEFAULT_ZONE = 'external';

/** An IPv4 peer on a dual-stack socket shows as `::ffff:a.b.c.d`; EMQX's `ntoa` prints `a.b.c.d`. */
export const peerhost = (ip: string): string => (ip.startsWith('::ffff:') ? ip.slice(7) : ip);

/**
 * jsx encodes Erlang's `undefined` atom as the string "undefined": an anonymous client's `username` and an
 * unset `mountpoint` come out that way in EMQX 4.4.
 */
const orUndefined = (value: string | null): string => value ?? 'undefined';

/** `emqx_mgmt_api_clients:format_channel_info/1`: v4 field names, "YYYY-MM-DD HH:mm:ss" times. */
export function formatClient(client: MqttClientInfo): Record<string, unknown> {
  const c = client.counters;
  const formatted: Record<string, unknown> = {
    node: client.node,
    clientid: client.clientId,
    username: orUndefined(client.username),
    proto_name: client.protoName,
    proto_ver: client.protoVer,
    ip_address: peerhost(client.ipAddress),
    port: client.port,
    is_bridge: client.isBridge,
    connected: client.connState === 'connected',
    zone: DEFAULT_ZONE,
    keepalive: client.keepalive,
    clean_start: client.cleanStart,
    expiry_interval: client.expiryInterval,
    connected_at: strftime(client.connectedAt),
    created_at: strftime(client.createdAt),
    mountpoint: orUndefined(client.mountpoint),
    subscriptions_cnt: client.subscriptionsCnt,
    max_subscriptions: client.subscriptionsMax === 'infinity' ? 0 : client.subscriptionsMax,
    inflight: client.inflightCnt,
    max_inflight: client.inflightMax,
    awaiting_rel: client.awaitingRelCnt,
    max_awaiting_rel: client.awaitingRelMax,
    mqueue_len: client.mqueueLen,
    max_mqueue: client.mqueueMax,
    mqueue_dropped: client.mqueueDropped,
    heap_size: client.heapSize,
    reductions: client.reductions,
    mailbox_len: client.mailboxLen,
    ...counterFields(c, 'expired'),
  };
  if (client.connState !== 'connected' && client.disconnectedAt !== null) {
    formatted.disconnected_at = strftime(client.disconnectedAt);
  }
  return formatted;
}
