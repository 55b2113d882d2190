import type { Aedes, Client as AedesClient } from 'aedes';
import type { BrokerVersion } from '../types.ts';
import type { SessionRecord } from './session.ts';
import {
  alarmPayload,
  connectedPayload,
  type DisconnectReason,
  disconnectedPayload,
} from './system-payloads.ts';
import type { Alarm } from './types.ts';

/**
 * Publishes EMQX's system messages under `$SYS/brokers/<node>/` through the running aedes instance (QoS 0,
 * not retained, as `emqx_sys` and `emqx_alarm` do). aedes' own `$SYS/<id>/...` traffic is kept from clients by
 * the forward hook, so subscribers see only what EMQX would send.
 */
export interface SystemMessages {
  clientConnected(record: SessionRecord, client: AedesClient): void;
  clientDisconnected(record: SessionRecord, client: AedesClient, reason: DisconnectReason): void;
  alarm(operation: 'activate' | 'deactivate', alarm: Alarm): void;
}

export interface SystemMessagesOptions {
  version: BrokerVersion;
  nodeName: string;
  now: () => number;
  /** The running broker, or null while the deployment is stopped (nothing is published then). */
  broker: () => Aedes | null;
}

/** EMQX's prefix for its own messages: only these may reach subscribers of `$SYS/#`. */
export const isEmqxSystemTopic = (topic: string) => topic.startsWith('$SYS/brokers/');

/** A reason recorded by whoever closed the connection, else `normal` after DISCONNECT, else `tcp_closed`. */
export function disconnectReason(
  reasons: WeakMap<AedesClient, DisconnectReason>,
  client: AedesClient,
): DisconnectReason {
  const recorded = reasons.get(client);
  if (recorded) return recorded;
  // aedes sets `_disconnected` only when the client sent a DISCONNECT packet.
  return (client as unknown as { _disconnected?: boolean })._disconnected ? 'normal' : 'tcp_closed';
}

/** The listener port the client connected to (EMQX's `sockport`). */
const sockportOf = (client: AedesClient) => (client.conn as unknown as { localPort?: number }).localPort ?? 0;

export function createSystemMessages(options: SystemMessagesOptions): SystemMessages {
  const prefix = `$SYS/brokers/${options.nodeName}`;
  const publish = (topic: string, body: unknown) => {
    const broker = options.broker();
    if (!broker || broker.closed) return;
    const packet = {
      cmd: 'publish',
      topic,
      payload: Buffer.from(JSON.stringify(body)),
      qos: 0,
      retain: false,
    };
    broker.publish(packet as never, () => {});
  };
  return {
    clientConnected(record, client) {
      const body = connectedPayload(options.version, record, sockportOf(client), options.now());
      publish(`${prefix}/clients/${record.clientId}/connected`, body);
    },
    clientDisconnected(record, client, reason) {
      const body = disconnectedPayload(options.version, record, sockportOf(client), reason, options.now());
      publish(`${prefix}/clients/${record.clientId}/disconnected`, body);
    },
    alarm(operation, alarm) {
      publish(`${prefix}/alarms/${operation}`, alarmPayload(alarm));
    },
  };
}
