/** `emqx_rule_events:event_info/0` and the example columns `emqx_rule_sqltester` fills in (4.4.19). */

type Columns = Array<[string, unknown]>;

const text = (en: string, zh: string) => ({ en, zh });

const props = (name: string, specific: Record<string, unknown>): [string, unknown] => [
  name,
  { ...specific, 'User-Property': { foo: 'bar' }, 'User-Property-Pairs': [{ key: 'foo' }, { value: 'bar' }] },
];

const messageColumns = (event: string, head: Columns, extra: Columns, node: string, now: number): Columns => [
  ['event', event],
  ...head,
  ['payload', '{"msg": "hello"}'],
  ['peerhost', '192.168.0.10'],
  ['topic', 't/a'],
  ['qos', 1],
  ['flags', {}],
  ['publish_received_at', now],
  ...extra,
  ['timestamp', now],
  ['node', node],
];

const pubProps = props('pub_props', { 'Payload-Format-Indicator': 0, 'Message-Expiry-Interval': 30 });
const fromTo: Columns = [
  ['from_clientid', 'c_emqx_1'],
  ['from_username', 'u_emqx_1'],
  ['clientid', 'c_emqx_2'],
  ['username', 'u_emqx_2'],
];
const sender: Columns = [
  ['clientid', 'c_emqx'],
  ['username', 'u_emqx'],
];

/** `columns_with_exam(Event)`: every column an event carries, with example values. */
export function columnsWithExample(event: string, node: string, now: number, id: string): Columns {
  switch (event) {
    case 'message.delivered':
      return messageColumns(event, [['id', id], ...fromTo], [pubProps], node, now);
    case 'message.acked':
      return messageColumns(
        event,
        [['id', id], ...fromTo],
        [pubProps, props('puback_props', { 'Reason-String': 'OK' })],
        node,
        now,
      );
    case 'message.dropped':
      return messageColumns(
        event,
        [['id', id], ['reason', 'no_subscribers'], ...sender],
        [pubProps],
        node,
        now,
      );
    case 'delivery.dropped':
      return messageColumns(event, [['id', id], ['reason', 'queue_full'], ...fromTo], [], node, now);
    case 'client.connected':
      return [
        ['event', event],
        ...sender,
        ['mountpoint', 'undefined'],
        ['peername', '192.168.0.10:56431'],
        ['sockname', '0.0.0.0:1883'],
        ['proto_name', 'MQTT'],
        ['proto_ver', 5],
        ['keepalive', 60],
        ['clean_start', true],
        ['expiry_interval', 3600],
        ['is_bridge', false],
        ['connected_at', now],
        props('conn_props', { 'Session-Expiry-Interval': 7200, 'Receive-Maximum': 32 }),
        ['timestamp', now],
        ['node', node],
      ];
    case 'client.disconnected':
      return [
        ['event', event],
        ['reason', 'normal'],
        ...sender,
        ['peername', '192.168.0.10:56431'],
        ['sockname', '0.0.0.0:1883'],
        ['proto_name', 'MQTT'],
        ['proto_ver', 5],
        ['disconnected_at', now],
        props('disconn_props', {
          'Session-Expiry-Interval': 7200,
          'Reason-String': 'Redirect to another server',
          'Server Reference': '192.168.22.129',
        }),
        ['timestamp', now],
        ['node', node],
      ];
    case 'client.connack':
      return [
        ['event', 'client.connected'],
        ['reason_code', 'success'],
        ...sender,
        ['peername', '192.168.0.10:56431'],
        ['sockname', '0.0.0.0:1883'],
        ['proto_name', 'MQTT'],
        ['proto_ver', 5],
        ['keepalive', 60],
        ['clean_start', true],
        ['expiry_interval', 3600],
        ['connected_at', now],
        props('conn_props', { 'Session-Expiry-Interval': 7200, 'Receive-Maximum': 32 }),
        ['timestamp', now],
        ['node', node],
      ];
    case 'session.subscribed':
    case 'session.unsubscribed':
      return [
        ['event', event],
        ...sender,
        ['peerhost', '192.168.0.10'],
        ['topic', 't/a'],
        ['qos', 1],
        props(event === 'session.subscribed' ? 'sub_props' : 'unsub_props', {}),
        ['timestamp', now],
        ['node', node],
      ];
    case 'client.check_acl_complete':
      return [
        ['event', event],
        ...sender,
        ['peerhost', '192.168.0.10'],
        ['topic', 't/a'],
        ['action', 'publish'],
        ['is_cache', 'false'],
        ['result', 'allow'],
        ['timestamp', now],
        ['node', node],
      ];
    default:
      return messageColumns('message.publish', [['id', id], ...sender], [pubProps], node, now);
  }
}

const publishTest: Columns = [...sender, ['topic', 't/a'], ['qos', 1], ['payload', '{"msg": "hello"}']];
const deliveredTest: Columns = [...fromTo, ['topic', 't/a'], ['qos', 1], ['payload', '{"msg": "hello"}']];

const TEST_COLUMNS: Record<string, Columns> = {
  'message.publish': publishTest,
  'message.delivered': deliveredTest,
  'message.acked': deliveredTest,
  'message.dropped': [['reason', 'no_subscribers'], ...publishTest],
  'delivery.dropped': [['reason', 'queue_full'], ...deliveredTest],
  'client.connected': [...sender, ['peername', '127.0.0.1:52918']],
  'client.disconnected': [...sender, ['reason', 'normal']],
  'client.connack': [...sender, ['reason_code', 'sucess']],
  'session.subscribed': [...sender, ['topic', 't/a'], ['qos', 1]],
  'session.unsubscribed': [...sender, ['topic', 't/a'], ['qos', 1]],
  'client.check_acl_complete': [...sender, ['topic', 't/1'], ['action', 'publish'], ['result', 'allow']],
};

const EVENTS: Array<[string, { en: string; zh: string }, { en: string; zh: string }, string]> = [
  [
    'message.publish',
    text('message publish', '消息发布'),
    text('message publish', '消息发布'),
    `SELECT payload.msg as msg FROM "t/#" WHERE msg = 'hello'`,
  ],
  [
    'message.delivered',
    text('message delivered', '消息已投递'),
    text('message delivered', '消息已投递'),
    `SELECT * FROM "$events/message_delivered" WHERE topic =~ 't/#'`,
  ],
  [
    'message.acked',
    text('message acked', '消息应答'),
    text('message acked', '消息应答'),
    `SELECT * FROM "$events/message_acked" WHERE topic =~ 't/#'`,
  ],
  [
    'message.dropped',
    text('message routing-drop', '消息转发丢弃'),
    text(
      'messages are discarded during forwarding, usually because there are no subscribers',
      '消息在转发的过程中被丢弃，一般是由于没有订阅者',
    ),
    `SELECT * FROM "$events/message_dropped" WHERE topic =~ 't/#'`,
  ],
  [
    'delivery.dropped',
    text('message delivery-drop', '消息投递丢弃'),
    text(
      'messages are discarded during delivery, i.e. because the message queue is full',
      '消息在投递的过程中被丢弃，比如由于消息队列已满',
    ),
    `SELECT * FROM "$events/delivery_dropped" WHERE topic =~ 't/#'`,
  ],
  [
    'client.connected',
    text('client connected', '连接建立'),
    text('client connected', '连接建立'),
    `SELECT * FROM "$events/client_connected"`,
  ],
  [
    'client.disconnected',
    text('client disconnected', '连接断开'),
    text('client disconnected', '连接断开'),
    `SELECT * FROM "$events/client_disconnected" WHERE topic =~ 't/#'`,
  ],
  [
    'client.connack',
    text('client connack', '连接确认'),
    text('client connack', '连接确认'),
    `SELECT * FROM "$events/client_connack"`,
  ],
  [
    'session.subscribed',
    text('session subscribed', '会话订阅完成'),
    text('session subscribed', '会话订阅完成'),
    `SELECT * FROM "$events/session_subscribed" WHERE topic =~ 't/#'`,
  ],
  [
    'session.unsubscribed',
    text('session unsubscribed', '会话取消订阅完成'),
    text('session unsubscribed', '会话取消订阅完成'),
    `SELECT * FROM "$events/session_unsubscribed" WHERE topic =~ 't/#'`,
  ],
  [
    'client.check_acl_complete',
    text('client check acl complete', '鉴权结果'),
    text('client check acl complete', '鉴权结果'),
    `SELECT * FROM "$events/client_check_acl_complete"`,
  ],
];

/** `$events/client_connected` for `client.connected`; `message.publish` is `$events/message_publish`. */
export const eventTopic = (event: string): string => `$events/${event.replace('.', '_')}`;

/** The event a FROM entry stands for (`message.publish` for any plain topic filter). */
export function eventOfTopic(topic: string): string {
  const found = EVENTS.find(([event]) => event !== 'message.publish' && topic.startsWith(eventTopic(event)));
  return found ? found[0] : 'message.publish';
}

export function eventInfo(node: string, now: number): unknown[] {
  return EVENTS.map(([event, title, description, sqlExample]) => ({
    event: eventTopic(event),
    title,
    description,
    test_columns: Object.fromEntries(TEST_COLUMNS[event] ?? []),
    columns: columnsWithExample(event, node, now, '').map(([key]) => key),
    sql_example: sqlExample,
  }));
}
