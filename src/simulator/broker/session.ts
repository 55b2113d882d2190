import type { Client as AedesClient } from 'aedes';
import type { InflightEntry } from './inflight.ts';
import type { ClientCounters, Qos } from './types.ts';

/** EMQX's `mqtt.session_expiry_interval` default, applied to MQTT 3.1.1 `clean_session = false`. */
export const PERSISTENT_SESSION_EXPIRY_S = 7200;

export interface StoredSubscription {
  /** The filter aedes routes on (the `$share/<group>/` prefix removed). */
  filter: string;
  qos: Qos;
  nl: 0 | 1;
  rap: 0 | 1;
  rh: 0 | 1 | 2;
}

/** What the CONNECT packet said, kept from `preConnect` until the session exists. */
export interface ConnectInfo {
  username: string | null;
  protoName: string;
  protoVer: number;
  keepalive: number;
  clean: boolean;
}

/** One session, live or waiting for its client (persistent sessions survive the connection). */
export interface SessionRecord {
  clientId: string;
  username: string | null;
  isSuperuser: boolean;
  ipAddress: string;
  port: number;
  protoName: string;
  protoVer: number;
  keepalive: number;
  cleanStart: boolean;
  expiryInterval: number;
  createdAt: number;
  connectedAt: number;
  disconnectedAt: number | null;
  /** The live aedes connection, null while disconnected. */
  connection: AedesClient | null;
  /** Keyed by the topic as subscribed (with any `$share/<group>/` prefix). */
  subscriptions: Map<string, StoredSubscription>;
  /** Counters of the latest connection (EMQX counts per channel, so a resumed session starts again). */
  counters: ClientCounters;
  /** The latest connection's socket; Node keeps its byte counts after it closes. */
  socket: SocketLike;
  /** Unacknowledged QoS 1/2 deliveries of the live connection, by packet identifier. */
  inflight: Map<number, InflightEntry>;
  /** Tie-breaker for `inserted_at` of deliveries within one millisecond. */
  inflightSeq: number;
  /** QoS 1/2 messages aedes queued for this session while it was disconnected. */
  mqueueLen: number;
  /** Set by a kick: the session ends with the connection even when persistent. */
  discardOnClose: boolean;
}

export const emptyCounters = (): ClientCounters => ({
  recvOct: 0,
  recvCnt: 0,
  recvPkt: 0,
  recvMsg: 0,
  recvMsgQos0: 0,
  recvMsgQos1: 0,
  recvMsgQos2: 0,
  recvMsgDropped: 0,
  sendOct: 0,
  sendCnt: 0,
  sendPkt: 0,
  sendMsg: 0,
  sendMsgQos0: 0,
  sendMsgQos1: 0,
  sendMsgQos2: 0,
  sendMsgDropped: 0,
});

export interface SocketLike {
  bytesRead?: number;
  bytesWritten?: number;
  remoteAddress?: string;
  remotePort?: number;
}

export function socketOf(client: AedesClient): SocketLike {
  return client.conn as unknown as SocketLike;
}

/** Whether a disconnected persistent session has outlived its expiry interval. */
export function isExpired(record: SessionRecord, now: number): boolean {
  return (
    record.connection === null &&
    record.disconnectedAt !== null &&
    now >= record.disconnectedAt + record.expiryInterval * 1000
  );
}
