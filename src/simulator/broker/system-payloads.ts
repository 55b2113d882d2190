import type { BrokerVersion } from '../types.ts';
import type { SessionRecord } from './session.ts';
import type { Alarm } from './types.ts';

/**
 * The JSON bodies of EMQX's system messages, field for field:
 * - client presence: v5.8.1 `emqx_sys:on_client_connected/2`, `on_client_disconnected/3` (`common_infos/2`);
 *   v4.4.19 `emqx_mod_presence` (no `protocol`, a constant `connack: 0`, expiry in seconds, not ms);
 * - alarms: `emqx_alarm:normalize/1` (both versions; times in µs, `deactivate_at` `"infinity"` while active).
 *
 * EMQX encodes an absent username as the atom `undefined`, which jiffy writes as the string "undefined".
 */

/** Why a connection ended, as `emqx_sys:reason/1` names it. */
export type DisconnectReason =
  | 'normal'
  | 'tcp_closed'
  | 'kicked'
  | 'keepalive_timeout'
  | 'takenover'
  | 'discarded';

function common(version: BrokerVersion, record: SessionRecord, sockport: number, ts: number) {
  return {
    clientid: record.clientId,
    username: record.username ?? 'undefined',
    ipaddress: record.ipAddress,
    sockport,
    ...(version === 'v5' ? { protocol: 'mqtt' } : {}),
    proto_name: record.protoName,
    proto_ver: record.protoVer,
    connected_at: record.connectedAt,
    ts,
  };
}

/** `$SYS/brokers/<node>/clients/<clientid>/connected`. */
export function connectedPayload(
  version: BrokerVersion,
  record: SessionRecord,
  sockport: number,
  ts: number,
) {
  return {
    ...common(version, record, sockport, ts),
    ...(version === 'v4' ? { connack: 0 } : {}),
    keepalive: record.keepalive,
    clean_start: record.cleanStart,
    // v5 keeps the session expiry in milliseconds (`timer:seconds/1`), v4 in seconds.
    expiry_interval: version === 'v5' ? record.expiryInterval * 1000 : record.expiryInterval,
  };
}

/** `$SYS/brokers/<node>/clients/<clientid>/disconnected`. */
export function disconnectedPayload(
  version: BrokerVersion,
  record: SessionRecord,
  sockport: number,
  reason: DisconnectReason,
  ts: number,
) {
  return { ...common(version, record, sockport, ts), reason, disconnected_at: ts };
}

/** `$SYS/brokers/<node>/alarms/activate` and `.../deactivate`. */
export function alarmPayload(alarm: Alarm) {
  return {
    name: alarm.name,
    details: alarm.details,
    message: alarm.message,
    activate_at: alarm.activateAt * 1000,
    deactivate_at: alarm.deactivateAt === null ? 'infinity' : alarm.deactivateAt * 1000,
    activated: alarm.deactivateAt === null,
  };
}
