import type { ParamSpec } from './actions.ts';

/** `#resource_type{}` of the built-in 4.4.19 resource types. */
export interface ResourceTypeSpec {
  name: string;
  provider: string;
  params: Record<string, ParamSpec>;
  title: { en: string; zh: string };
  description: { en: string; zh: string };
}

const text = (en: string, zh: string) => ({ en, zh });

export const RESOURCE_TYPES: readonly ResourceTypeSpec[] = [
  {
    name: 'web_hook',
    provider: 'emqx_web_hook',
    params: {
      url: {
        order: 1,
        type: 'string',
        format: 'url',
        required: true,
        title: text('Request URL', '请求 URL'),
        description: text(
          'The URL of the server that will receive the Webhook requests.',
          '用于接收 Webhook 请求的服务器的 URL。',
        ),
      },
      connect_timeout: {
        order: 2,
        type: 'string',
        default: '5s',
        title: text('Connect Timeout', '连接超时时间'),
        description: text('Connect Timeout In Seconds', '连接超时时间'),
      },
      request_timeout: {
        order: 3,
        type: 'string',
        default: '5s',
        title: text('Request Timeout', '请求超时时间'),
        description: text('Request Timeout In Seconds', '请求超时时间'),
      },
      pool_size: {
        order: 4,
        type: 'number',
        default: 8,
        title: text('Pool Size', '连接池大小'),
        description: text('Connection Pool', '连接池大小'),
      },
    },
    title: text('WebHook', 'WebHook'),
    description: text('WebHook', 'WebHook'),
  },
  {
    name: 'bridge_mqtt',
    provider: 'emqx_bridge_mqtt',
    params: {
      address: {
        order: 1,
        type: 'string',
        required: true,
        default: '127.0.0.1:1883',
        title: text('Broker Address', '远程 broker 地址'),
        description: text('The MQTT Remote Address', '远程 MQTT Broker 的地址'),
      },
      clientid: {
        order: 3,
        type: 'string',
        required: true,
        default: 'client',
        title: text('Client ID', '客户端 Id'),
        description: text('Client ID for connecting to remote MQTT broker', '连接远程 Broker 的 Client ID'),
      },
      username: {
        order: 5,
        type: 'string',
        required: false,
        default: '',
        title: text('Username', '用户名'),
        description: text('Username for connecting to remote MQTT Broker', '连接远程 Broker 的用户名'),
      },
      password: {
        order: 6,
        type: 'password',
        required: false,
        default: '',
        title: text('Password', '密码'),
        description: text('Password for connecting to remote MQTT Broker', '连接远程 Broker 的密码'),
      },
    },
    title: text('MQTT Bridge', 'MQTT Bridge'),
    description: text('MQTT Message Bridge', 'MQTT 消息桥接'),
  },
];

export const findResourceType = (name: string): ResourceTypeSpec | undefined =>
  RESOURCE_TYPES.find((t) => t.name === name);
