import type { ClientQuery, MqttClient } from './model.ts';

/**
 * A client filter applied in the gateway, for the one case EMQX cannot do it: v4 has no multi-ID read, so
 * `clientIds` with several IDs is a set of single reads whose results are then filtered here.
 */
export function matchesClient(client: MqttClient, query: ClientQuery): boolean {
  const within = (value: string | null, after?: Date | null, before?: Date | null) => {
    if (!after && !before) return true;
    if (value === null) return false;
    const at = Date.parse(value);
    return (!after || at >= after.getTime()) && (!before || at <= before.getTime());
  };
  const contains = (value: string | null, part?: string | null) => !part || (value ?? '').includes(part);
  const equals = <T>(value: T, wanted: T | null | undefined) => wanted == null || value === wanted;
  const state = client.connected ? 'connected' : 'disconnected';
  return (
    contains(client.clientId, query.clientIdContains) &&
    equals(client.username, query.username) &&
    contains(client.username, query.usernameContains) &&
    equals(client.ipAddress, query.ipAddress) &&
    (query.connState == null || query.connState === state) &&
    equals(client.cleanStart, query.cleanStart) &&
    equals(client.protoVer, query.protoVer) &&
    equals(client.node, query.node) &&
    within(client.connectedAt, query.connectedAfter, query.connectedBefore) &&
    within(client.createdAt, query.createdAfter, query.createdBefore)
  );
}
