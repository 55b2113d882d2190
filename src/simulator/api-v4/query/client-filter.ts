import type { MqttClientInfo } from '../../broker/types.ts';
import { DEFAULT_ZONE, peerhost } from '../format/client.ts';
import type { V4Params } from '../http/params.ts';
import { binaryContains, type CompiledQs, compileQs, type QsCondition, type QsType } from './qs.ts';

/** `?CLIENT_QS_SCHEMA` of `emqx_mgmt_api_clients` (4.4). */
export const CLIENT_QS_SCHEMA: Readonly<Record<string, QsType>> = {
  clientid: 'binary',
  username: 'binary',
  zone: 'atom',
  ip_address: 'ip',
  conn_state: 'atom',
  clean_start: 'atom',
  proto_name: 'binary',
  proto_ver: 'integer',
  _like_clientid: 'binary',
  _like_username: 'binary',
  _gte_created_at: 'timestamp',
  _lte_created_at: 'timestamp',
  _gte_connected_at: 'timestamp',
  _gte_mqueue_len: 'integer',
  _lte_mqueue_len: 'integer',
  _gte_mqueue_dropped: 'integer',
  _lte_mqueue_dropped: 'integer',
  _lte_connected_at: 'timestamp',
};

/** Throws `BadValueType` for a value of the wrong type (the clients API answers code 108). */
export function compileClientQs(params: V4Params): CompiledQs {
  return compileQs(params, CLIENT_QS_SCHEMA);
}

const ipParts = (ip: string): number[] | null => {
  const parts = peerhost(ip).split('.');
  return parts.length === 4 && parts.every((p) => /^\d+$/.test(p)) ? parts.map(Number) : null;
};

/** The channel-info field each filter key reads, typed as the ETS match spec compares it. */
function fieldOf(client: MqttClientInfo, key: string): unknown {
  switch (key) {
    case 'clientid':
      return client.clientId;
    case 'username':
      return client.username;
    case 'zone':
      return DEFAULT_ZONE;
    case 'ip_address':
      return ipParts(client.ipAddress);
    case 'conn_state':
      return client.connState;
    case 'clean_start':
      return String(client.cleanStart);
    case 'proto_name':
      return client.protoName;
    case 'proto_ver':
      return client.protoVer;
    case 'created_at':
      return client.createdAt;
    case 'connected_at':
      return client.connectedAt;
    case 'mqueue_len':
      return client.mqueueLen;
    case 'mqueue_dropped':
      return client.mqueueDropped;
    default:
      return undefined;
  }
}

function holds(client: MqttClientInfo, condition: QsCondition): boolean {
  const field = fieldOf(client, condition.key);
  switch (condition.op) {
    case '=:=':
      return Array.isArray(field)
        ? JSON.stringify(field) === JSON.stringify(condition.value)
        : field === condition.value;
    case '>=':
      return typeof field === 'number' && field >= (condition.value as number);
    case '=<':
      return typeof field === 'number' && field <= (condition.value as number);
    case 'like':
      return binaryContains(typeof field === 'string' ? field : '', condition.value);
    default:
      return false;
  }
}

export const clientMatches = (client: MqttClientInfo, qs: CompiledQs): boolean =>
  qs.exact.every((c) => holds(client, c)) && qs.fuzzy.every((c) => holds(client, c));
