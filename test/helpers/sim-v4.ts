import { randomBytes } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import { createV4Api } from '../../src/simulator/api-v4/index.ts';
import { BrokerCore } from '../../src/simulator/broker/core.ts';
import { createFaultStore } from '../../src/simulator/faults.ts';
import { createHttpListener, type HttpListener } from '../../src/simulator/http-listener.ts';
import { createRequestLog } from '../../src/simulator/request-log.ts';
import { type ApiReply, type ApiRequestOptions, apiRequest } from './sim-broker.ts';

export type V4Reply = ApiReply;
export type V4RequestOptions = ApiRequestOptions;

/** A v4 broker (real aedes MQTT listener) with its management API served over HTTP on 127.0.0.1. */
export interface V4Harness {
  readonly core: BrokerCore;
  readonly node: string;
  readonly apiUrl: string;
  readonly mqttUrl: string;
  /** A device user of the broker's built-in authentication (its `mqttUsers`). */
  readonly user: { username: string; password: string };
  request(method: string, path: string, options?: V4RequestOptions): Promise<V4Reply>;
  /** Connects an MQTT 3.1.1 client as the device user; closed by `close()`. */
  connect(clientId: string, options?: mqtt.IClientOptions): Promise<MqttClient>;
  close(): Promise<void>;
}

export async function startV4(): Promise<V4Harness> {
  const node = 'emqx@127.0.0.1';
  const app = { appId: randomBytes(4).toString('hex'), appSecret: randomBytes(12).toString('hex') };
  const user = { username: 'sensor-01', password: randomBytes(10).toString('hex') };
  const core = new BrokerCore({ version: 'v4', nodeName: node, now: Date.now });
  core.authn.add(user.username, user.password, false);
  await core.start();
  const listener: HttpListener = await createHttpListener({
    target: 'v4',
    handler: createV4Api(core, app),
    requestLog: createRequestLog(),
    faults: createFaultStore(),
  });
  const clients: MqttClient[] = [];
  const apiUrl = `${listener.origin}/api/v4`;
  const mqttUrl = `mqtt://127.0.0.1:${core.mqttPort()}`;
  return {
    core,
    node,
    apiUrl,
    mqttUrl,
    user,
    request: (method, path, options = {}) => apiRequest(`${listener.origin}${path}`, method, app, options),
    async connect(clientId, options = {}) {
      const client = await mqtt.connectAsync(mqttUrl, {
        clientId,
        username: user.username,
        password: user.password,
        protocolVersion: 4,
        reconnectPeriod: 0,
        ...options,
      });
      clients.push(client);
      return client;
    },
    async close() {
      await Promise.all(clients.map((client) => client.endAsync(true)));
      await listener.close();
      await core.stop();
    },
  };
}

/** Resolves with the next message the client receives on `topic`. */
export function nextMessage(
  client: MqttClient,
  topic: string,
): Promise<{ payload: Buffer; qos: number; retain: boolean }> {
  return new Promise((resolve) => {
    const onMessage = (received: string, payload: Buffer, packet: { qos: number; retain: boolean }) => {
      if (received !== topic) return;
      client.off('message', onMessage);
      resolve({ payload, qos: packet.qos, retain: packet.retain });
    };
    client.on('message', onMessage);
  });
}

/** Resolves when the broker closes the client's connection. */
export const closed = (client: MqttClient): Promise<void> =>
  new Promise((resolve) => (client.connected ? client.once('close', () => resolve()) : resolve()));
