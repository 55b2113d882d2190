// biome-ignore-all lint/suspicious/noTemplateCurlyInString: EMQX placeholders such as ${clientid} are literal text here.
/** A parameter spec as EMQX 4.4's rule engine declares it (`params` of actions and resource types). */
export interface ParamSpec {
  type: string;
  required?: boolean;
  default?: unknown;
  format?: string;
  enum?: string[];
  input?: string;
  order?: number;
  schema?: Record<string, unknown>;
  title: { en: string; zh: string };
  description: { en: string; zh: string };
}

/** `#action{}` of the built-in rule-engine actions (hidden ones left out, as `record_to_map` does). */
export interface ActionSpec {
  name: string;
  category: string;
  app: string;
  for: string;
  types: string[];
  params: Record<string, ParamSpec>;
  title: { en: string; zh: string };
  description: { en: string; zh: string };
}

const text = (en: string, zh: string) => ({ en, zh });

const RESOURCE_PARAM: ParamSpec = {
  type: 'string',
  required: true,
  title: text('Resource ID', '资源 ID'),
  description: text('Bind a resource to this action', '给动作绑定一个资源'),
};

const REPUBLISH_PARAMS: Record<string, ParamSpec> = {
  target_topic: {
    order: 1,
    type: 'string',
    required: true,
    default: 'repub/to/${clientid}',
    title: text('Target Topic', '目的主题'),
    description: text('To which topic the message will be republished', '重新发布消息到哪个主题'),
  },
  target_qos: {
    order: 2,
    type: 'string',
    required: true,
    default: '0',
    title: text('Target QoS', '目的 QoS'),
    description: text(
      'The QoS Level to be uses when republishing the message. Set to -1 to use the original QoS. Support placeholder variables.',
      '重新发布消息时用的 QoS 级别, 设置为 -1 以使用原消息中的 QoS。支持占位符变量',
    ),
  },
  target_retain: {
    order: 3,
    type: 'string',
    required: true,
    default: 'false',
    title: text('Target Retain', '目标保留消息标识'),
    description: text(
      'The Retain flag to be uses when republishing the message. Support placeholder variables. Default is false',
      '重新发布消息时用的保留消息标识，支持占位符变量。默认 false',
    ),
  },
  payload_tmpl: {
    order: 4,
    type: 'string',
    input: 'textarea',
    required: false,
    default: '${payload}',
    title: text('Payload Template', '消息内容模板'),
    description: text('The payload template, variable interpolation is supported', '消息内容模板，支持变量'),
  },
};

/** `emqx_rule_actions`, `emqx_web_hook_actions` and `emqx_bridge_mqtt_actions` of 4.4.19. */
export const ACTIONS: readonly ActionSpec[] = [
  {
    name: 'inspect',
    category: 'debug',
    app: 'emqx_rule_engine',
    for: '$any',
    types: [],
    params: {},
    title: text('Inspect (debug)', '检查 (调试)'),
    description: text('Inspect the details of action params for debug purpose', '检查动作参数 (用以调试)'),
  },
  {
    name: 'republish',
    category: 'data_forward',
    app: 'emqx_rule_engine',
    for: '$any',
    types: [],
    params: REPUBLISH_PARAMS,
    title: text('Republish', '消息重新发布'),
    description: text('Republish a MQTT message to another topic', '重新发布消息到另一个主题'),
  },
  {
    name: 'do_nothing',
    category: 'debug',
    app: 'emqx_rule_engine',
    for: '$any',
    types: [],
    params: {},
    title: text('Do Nothing (debug)', '空动作 (调试)'),
    description: text(
      "This action does nothing and never fails. It's for debug purpose",
      '此动作什么都不做，并且不会失败 (用以调试)',
    ),
  },
  {
    name: 'data_to_webserver',
    category: 'data_forward',
    app: 'emqx_web_hook',
    for: '$any',
    types: ['web_hook'],
    params: {
      $resource: RESOURCE_PARAM,
      path: {
        order: 1,
        type: 'string',
        required: false,
        default: '',
        title: text('Path', 'Path'),
        description: text(
          'The path part of the URL, support using ${Var} to get the field value output by the rule engine.',
          'URL 的路径配置，支持使用 ${Var} 获取规则引擎输出的字段值。',
        ),
      },
      method: {
        order: 2,
        type: 'string',
        enum: ['POST', 'DELETE', 'PUT', 'GET'],
        default: 'POST',
        title: text('Method', 'Method'),
        description: text(
          'HTTP Method.\nPlease use POST/PUT if body is not empty.',
          'HTTP Method。\n当 Body 非空时，请使用 POST 或 PUT。',
        ),
      },
      headers: {
        order: 3,
        type: 'object',
        schema: {},
        default: { 'content-type': 'application/json' },
        title: text('Headers', 'Headers'),
        description: text('HTTP headers.', 'HTTP headers。'),
      },
      body: {
        order: 4,
        type: 'string',
        input: 'textarea',
        required: false,
        default: '',
        title: text('Body', 'Body'),
        description: text(
          'The HTTP body supports the use of ${Var} to obtain the field value output by the rule engine.\nThe content of the default HTTP request body is a JSON string composed of the keys and values of all fields output by the rule engine.',
          'HTTP 请求体支持使用 ${Var} 获取规则引擎输出的字段值。\n默认为规则引擎输出的所有字段的键和值构成的 JSON 字符串。',
        ),
      },
    },
    title: text('Data to Web Server', '发送数据到 Web 服务'),
    description: text('Forward Messages to Web Server', '将数据转发给 Web 服务'),
  },
  {
    name: 'data_to_mqtt_broker',
    category: 'data_forward',
    app: 'emqx_bridge_mqtt',
    for: 'message.publish',
    types: ['bridge_mqtt', 'bridge_rpc'],
    params: {
      $resource: RESOURCE_PARAM,
      forward_topic: {
        order: 1,
        type: 'string',
        required: false,
        default: '',
        title: text('Forward Topic', '转发消息主题'),
        description: text(
          'The topic used when forwarding the message. Defaults to the topic of the bridge message if not provided.',
          '转发消息时使用的主题。如果未提供，则默认为桥接消息的主题。',
        ),
      },
      payload_tmpl: {
        order: 2,
        type: 'string',
        input: 'textarea',
        required: false,
        default: '',
        title: text('Payload Template', '消息内容模板'),
        description: text(
          'The payload template, variable interpolation is supported. If using empty template (default), then the payload will be all the available vars in JSON format',
          '消息内容模板，支持变量。若使用空模板（默认），消息内容为 JSON 格式的所有字段',
        ),
      },
    },
    title: text('Data bridge to MQTT Broker', '桥接数据到 MQTT Broker'),
    description: text('Bridge Data to MQTT Broker', '桥接数据到 MQTT Broker'),
  },
];

export const findAction = (name: string): ActionSpec | undefined => ACTIONS.find((a) => a.name === name);

/** `sort_by_title/2`: ascending English title. */
export const byTitle = <T extends { title: { en: string } }>(items: readonly T[]): T[] =>
  [...items].sort((a, b) => (a.title.en < b.title.en ? -1 : a.title.en > b.title.en ? 1 : 0));
