import { z } from 'zod';
import type { InboundMessage } from './mqtt-link.ts';

/**
 * EMQX's system messages turned into events. Payloads as `emqx_sys` (v5) / `emqx_mod_presence` (v4) and
 * `emqx_alarm` publish them (see emqx-api.md §7); anything that does not parse is skipped, never an error for
 * the stream. EMQX writes an absent username as the string "undefined" (jiffy's rendering of the atom).
 */

export const CLIENT_EVENT_FILTERS = ['$SYS/brokers/+/clients/#'];
export const ALARM_EVENT_FILTERS = ['$SYS/brokers/+/alarms/+'];

export interface ClientEvent {
  kind: 'CONNECTED' | 'DISCONNECTED';
  clientId: string;
  username: string | null;
  ipAddress: string | null;
  reason: string | null;
  at: Date;
}

export interface AlarmEvent {
  kind: 'ACTIVATED' | 'DEACTIVATED';
  name: string;
  message: string | null;
  details: unknown;
  at: Date;
}

const presence = z.object({
  clientid: z.string(),
  username: z.string().nullish(),
  ipaddress: z.string().nullish(),
  reason: z.string().nullish(),
  connected_at: z.number().optional(),
  disconnected_at: z.number().optional(),
  ts: z.number().optional(),
});

/** µs since the epoch, or `"infinity"` while an alarm is active. */
const alarm = z.object({
  name: z.string(),
  message: z.string().nullish(),
  details: z.unknown().optional(),
  activate_at: z.number(),
  deactivate_at: z.union([z.number(), z.literal('infinity')]),
});

function json(payload: Buffer): unknown {
  try {
    return JSON.parse(payload.toString('utf8'));
  } catch {
    return undefined;
  }
}

const PRESENCE_TOPIC = /^\$SYS\/brokers\/[^/]+\/clients\/.+\/(connected|disconnected)$/s;

export function toClientEvent(message: InboundMessage): ClientEvent | null {
  const kind = PRESENCE_TOPIC.exec(message.topic)?.[1];
  const parsed = kind ? presence.safeParse(json(message.payload)) : null;
  if (!kind || !parsed?.success) return null;
  const body = parsed.data;
  const connected = kind === 'connected';
  const at = (connected ? body.connected_at : body.disconnected_at) ?? body.ts ?? message.receivedAt;
  return {
    kind: connected ? 'CONNECTED' : 'DISCONNECTED',
    clientId: body.clientid,
    username: body.username && body.username !== 'undefined' ? body.username : null,
    ipAddress: body.ipaddress ?? null,
    reason: connected ? null : (body.reason ?? null),
    at: new Date(at),
  };
}

const ALARM_TOPIC = /^\$SYS\/brokers\/[^/]+\/alarms\/(activate|deactivate)$/;

export function toAlarmEvent(message: InboundMessage): AlarmEvent | null {
  const operation = ALARM_TOPIC.exec(message.topic)?.[1];
  const parsed = operation ? alarm.safeParse(json(message.payload)) : null;
  if (!operation || !parsed?.success) return null;
  const body = parsed.data;
  const activated = operation === 'activate';
  const micros = activated || body.deactivate_at === 'infinity' ? body.activate_at : body.deactivate_at;
  return {
    kind: activated ? 'ACTIVATED' : 'DEACTIVATED',
    name: body.name,
    message: body.message ?? null,
    details: body.details ?? null,
    at: new Date(Math.floor(micros / 1000)),
  };
}
