/**
 * Version-neutral values the broker core hands to the v4 and v5 API layers. Times are epoch milliseconds,
 * durations are seconds unless the name says otherwise; each API layer formats them for its own wire.
 */

export type Qos = 0 | 1 | 2;

/** Live or disconnected-but-persistent MQTT session, with every stat the v4/v5 client objects show. */
export interface MqttClientInfo {
  clientId: string;
  username: string | null;
  node: string;
  connected: boolean;
  /** `connected` while the socket is up, `disconnected` for a persistent session waiting for its client. */
  connState: 'connected' | 'disconnected';
  /** `MQTT` (3.1.1) or `MQIsdp` (3.1). */
  protoName: string;
  /** 3 or 4: the simulated broker speaks MQTT 3.1/3.1.1 only. */
  protoVer: number;
  ipAddress: string;
  port: number;
  listener: string;
  mountpoint: string | null;
  isBridge: boolean;
  isSuperuser: boolean;
  cleanStart: boolean;
  keepalive: number;
  /** Session expiry in seconds (0 for clean sessions; 7200 for persistent 3.1.1 sessions, EMQX's default). */
  expiryInterval: number;
  createdAt: number;
  connectedAt: number;
  disconnectedAt: number | null;
  subscriptionsCnt: number;
  subscriptionsMax: number | 'infinity';
  inflightCnt: number;
  inflightMax: number;
  awaitingRelCnt: number;
  awaitingRelMax: number;
  mqueueLen: number;
  mqueueMax: number;
  mqueueDropped: number;
  heapSize: number;
  reductions: number;
  mailboxLen: number;
  counters: ClientCounters;
}

/** Per-connection traffic counters (EMQX `recv_*`/`send_*`). */
export interface ClientCounters {
  recvOct: number;
  recvCnt: number;
  recvPkt: number;
  recvMsg: number;
  recvMsgQos0: number;
  recvMsgQos1: number;
  recvMsgQos2: number;
  recvMsgDropped: number;
  sendOct: number;
  sendCnt: number;
  sendPkt: number;
  sendMsg: number;
  sendMsgQos0: number;
  sendMsgQos1: number;
  sendMsgQos2: number;
  sendMsgDropped: number;
}

export interface SubscriptionInfo {
  clientId: string;
  /** As the client subscribed it, including a `$share/<group>/` prefix. */
  topic: string;
  qos: Qos;
  /** No-local, retain-as-published, retain-handling (always 0 on MQTT 3.1.1 subscriptions). */
  nl: 0 | 1;
  rap: 0 | 1;
  rh: 0 | 1 | 2;
  node: string;
}

export interface SubscribeRequest {
  topic: string;
  qos?: Qos;
  nl?: 0 | 1;
  rap?: 0 | 1;
  rh?: 0 | 1 | 2;
}

export interface PublishRequest {
  topic: string;
  payload: Buffer;
  qos?: Qos;
  retain?: boolean;
}

export type PublishOutcome =
  | { status: 'delivered'; id: string }
  | { status: 'no_subscribers'; id: string }
  | { status: 'invalid_topic' };

export interface RetainedMessage {
  msgid: string;
  topic: string;
  qos: Qos;
  payload: Buffer;
  publishAt: number;
  fromClientId: string | null;
  fromUsername: string | null;
}

export type BanKind = 'clientid' | 'username' | 'peerhost' | 'clientid_re' | 'username_re' | 'peerhost_net';

export interface Ban {
  as: BanKind;
  who: string;
  by: string;
  reason: string;
  /** Epoch ms. */
  at: number;
  /** Epoch ms, or null for "infinity". */
  until: number | null;
}

export interface AuthnUser {
  userId: string;
  isSuperuser: boolean;
}

export type AuthzAction = 'publish' | 'subscribe' | 'all';

export interface AuthzRule {
  topic: string;
  permission: 'allow' | 'deny';
  action: AuthzAction;
  qos: Qos[];
  retain: boolean | 'all';
}

export type AuthzScope =
  | { kind: 'username'; who: string }
  | { kind: 'clientid'; who: string }
  | { kind: 'all' };

export interface NodeInfo {
  name: string;
  version: string;
  status: 'running' | 'stopped';
  startedAt: number;
  uptimeMs: number;
  connections: number;
  liveConnections: number;
  sessions: number;
}

export interface ListenerInfo {
  id: string;
  type: 'tcp';
  name: string;
  bind: string;
  running: boolean;
  port: number | null;
  currentConnections: number;
  maxConnections: number;
}

export interface Alarm {
  name: string;
  message: string;
  details: Record<string, unknown>;
  activateAt: number;
  deactivateAt: number | null;
}
