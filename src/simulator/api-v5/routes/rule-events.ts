import { ok } from '../http/reply.ts';
import type { Route } from '../http/router.ts';

const CLIENT_COLUMNS = [
  'clientid',
  'username',
  'peername',
  'sockname',
  'proto_name',
  'proto_ver',
  'timestamp',
  'node',
];
const MESSAGE_COLUMNS = [
  'id',
  'from_clientid',
  'from_username',
  'clientid',
  'username',
  'payload',
  'peerhost',
  'topic',
  'qos',
  'flags',
  'pub_props',
  'timestamp',
  'publish_received_at',
  'node',
];

/** [event, English title, extra columns] for the events `emqx_rule_events:event_info/0` lists. */
const EVENTS: [string, string, string[]][] = [
  [
    'client_connected',
    'Connection established',
    [
      ...CLIENT_COLUMNS,
      'keepalive',
      'clean_start',
      'expiry_interval',
      'is_bridge',
      'connected_at',
      'conn_props',
    ],
  ],
  ['client_disconnected', 'Disconnect', [...CLIENT_COLUMNS, 'reason', 'disconnected_at', 'disconn_props']],
  [
    'client_connack',
    'Connection acknowledge',
    [...CLIENT_COLUMNS, 'reason_code', 'keepalive', 'clean_start', 'expiry_interval', 'conn_props'],
  ],
  [
    'client_check_authz_complete',
    'Authorization check complete',
    ['clientid', 'username', 'peerhost', 'topic', 'action', 'authz_source', 'result', 'timestamp', 'node'],
  ],
  [
    'client_check_authn_complete',
    'Authentication check complete',
    ['clientid', 'username', 'peername', 'reason_code', 'is_superuser', 'is_anonymous', 'timestamp', 'node'],
  ],
  [
    'session_subscribed',
    'Subscribe',
    ['clientid', 'username', 'peerhost', 'topic', 'qos', 'sub_props', 'timestamp', 'node'],
  ],
  [
    'session_unsubscribed',
    'Unsubscribe',
    ['clientid', 'username', 'peerhost', 'topic', 'qos', 'unsub_props', 'timestamp', 'node'],
  ],
  ['message_delivered', 'Message delivered', MESSAGE_COLUMNS],
  ['message_acked', 'Message acked', [...MESSAGE_COLUMNS, 'puback_props']],
  ['message_dropped', 'Message routing-drop', [...MESSAGE_COLUMNS, 'reason']],
  ['delivery_dropped', 'Message delivery-drop', [...MESSAGE_COLUMNS, 'reason']],
  ['alarm_activated', 'Alarm activated', ['name', 'details', 'message', 'activated_at', 'timestamp', 'node']],
  [
    'alarm_deactivated',
    'Alarm deactivated',
    ['name', 'details', 'message', 'activated_at', 'deactivated_at', 'timestamp', 'node'],
  ],
  [
    'message_transformation_failed',
    'Message transformation failed',
    ['transformation', 'clientid', 'username', 'payload', 'peername', 'topic', 'qos', 'timestamp', 'node'],
  ],
  [
    'schema_validation_failed',
    'Schema validation failed',
    ['validation', 'clientid', 'username', 'payload', 'peername', 'topic', 'qos', 'timestamp', 'node'],
  ],
];

function eventInfo([name, title, columns]: [string, string, string[]]) {
  const event = `$events/${name}`;
  return {
    event,
    title: { en: title, zh: title },
    description: { en: title, zh: title },
    columns,
    test_columns: Object.fromEntries(
      columns.map((c) => [c, c === 'clientid' ? 'c_emqx' : c === 'username' ? 'u_emqx' : '']),
    ),
    sql_example: `SELECT * FROM "${event}"`,
  };
}

/** `GET /rule_events`: a bare array (the OpenAPI's single object is wrong). */
export function ruleEventRoutes(): Route[] {
  return [{ path: '/rule_events', methods: { GET: () => ok(EVENTS.map(eventInfo)) } }];
}
