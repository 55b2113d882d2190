import { z } from 'zod';
import type { MqttClient, MqttClientField } from './model.ts';
import { count, textTime } from './wire.ts';

/**
 * Wire names of the client fields, per version (docs/emqx-api.md §3.2, §4.1, §6.8). v5 renamed `inflight` to
 * `inflight_cnt`; everything else the gateway reads kept its name.
 */
export const V5_CLIENT_FIELDS: Readonly<Record<MqttClientField, string>> = {
  username: 'username',
  node: 'node',
  connected: 'connected',
  ipAddress: 'ip_address',
  port: 'port',
  protoName: 'proto_name',
  protoVer: 'proto_ver',
  keepalive: 'keepalive',
  cleanStart: 'clean_start',
  expiryInterval: 'expiry_interval',
  connectedAt: 'connected_at',
  disconnectedAt: 'disconnected_at',
  createdAt: 'created_at',
  subscriptionsCount: 'subscriptions_cnt',
  inflightCount: 'inflight_cnt',
  mqueueLength: 'mqueue_len',
  mqueueDropped: 'mqueue_dropped',
  receivedMessages: 'recv_msg',
  sentMessages: 'send_msg',
  receivedBytes: 'recv_oct',
  sentBytes: 'send_oct',
};

export const V4_CLIENT_FIELDS: Readonly<Record<MqttClientField, string>> = {
  ...V5_CLIENT_FIELDS,
  inflightCount: 'inflight',
};

const text = z
  .string()
  .nullish()
  .transform((v) => v ?? null);
const integer = count;
const flag = z
  .boolean()
  .nullish()
  .transform((v) => v ?? null);

/** How each field is read; times accept both v4 strings and v5 RFC 3339, counters `"infinity"`. */
const READERS: Record<MqttClientField, z.ZodType> = {
  username: text,
  node: text,
  connected: z
    .boolean()
    .nullish()
    .transform((v) => v ?? false),
  ipAddress: text,
  port: integer,
  protoName: text,
  protoVer: integer,
  keepalive: integer,
  cleanStart: flag,
  expiryInterval: integer,
  connectedAt: textTime,
  disconnectedAt: textTime,
  createdAt: textTime,
  subscriptionsCount: integer,
  inflightCount: integer,
  mqueueLength: integer,
  mqueueDropped: integer,
  receivedMessages: integer,
  sentMessages: integer,
  receivedBytes: integer,
  sentBytes: integer,
};

/** The zod schema of one client object under a version's names, giving the domain MqttClient. */
export function clientWireSchema(names: Readonly<Record<MqttClientField, string>>): z.ZodType<MqttClient> {
  const fields = Object.keys(READERS) as MqttClientField[];
  const shape = Object.fromEntries(fields.map((f) => [names[f], READERS[f]]));
  return z.object({ clientid: z.string(), ...shape }).transform((wire) => {
    const record = wire as Record<string, unknown>;
    const client = { clientId: wire.clientid } as Record<string, unknown>;
    for (const f of fields) client[f] = record[names[f]];
    return client as unknown as MqttClient;
  });
}
