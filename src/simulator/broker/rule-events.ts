import type { RuleEvent } from './rules/types.ts';
import type { SessionRecord } from './session.ts';
import type { CoreState, MessageOrigin } from './state.ts';
import type { DisconnectReason } from './system-payloads.ts';

export interface PublishedMessage {
  topic: string;
  payload: Buffer;
  qos: number;
  retain: boolean;
}

/** The `message.publish` columns EMQX gives a rule whose FROM matches a message topic. */
export function messageEventColumns(
  state: CoreState,
  message: PublishedMessage,
  origin: MessageOrigin,
  peerhost: string | null,
): RuleEvent {
  const at = state.now();
  return {
    event: 'message.publish',
    source: message.topic,
    republishedBy: origin.republishedBy,
    columns: {
      id: origin.id,
      clientid: origin.fromClientId ?? '',
      username: origin.fromUsername ?? 'undefined',
      payload: message.payload.toString(),
      peerhost: peerhost ?? 'undefined',
      topic: message.topic,
      qos: message.qos,
      flags: { dup: false, retain: message.retain },
      pub_props: { 'User-Property': {} },
      timestamp: at,
      publish_received_at: at,
      node: state.nodeName,
      event: 'message.publish',
    },
  };
}

/** `$events/client_connected` and `$events/client_disconnected` columns. */
export function clientEventColumns(
  state: CoreState,
  record: SessionRecord,
  kind: 'client_connected' | 'client_disconnected',
  reason: DisconnectReason = 'normal',
): RuleEvent {
  const at = state.now();
  const common = {
    clientid: record.clientId,
    username: record.username ?? 'undefined',
    peername: `${record.ipAddress}:${record.port}`,
    sockname: `127.0.0.1:1883`,
    proto_name: record.protoName,
    proto_ver: record.protoVer,
    timestamp: at,
    node: state.nodeName,
  };
  const columns =
    kind === 'client_connected'
      ? {
          ...common,
          event: 'client.connected',
          keepalive: record.keepalive,
          clean_start: record.cleanStart,
          expiry_interval: record.expiryInterval,
          is_bridge: false,
          connected_at: record.connectedAt,
          mountpoint: 'undefined',
          conn_props: {},
        }
      : { ...common, event: 'client.disconnected', reason, disconnected_at: at, disconn_props: {} };
  return { event: columns.event, source: `$events/${kind}`, columns };
}
