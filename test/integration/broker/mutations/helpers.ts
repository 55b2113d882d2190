import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { Stack } from '../../../helpers/stack.ts';

/** Shared by the broker mutation tests: real MQTT devices, the upstream write log, and one-field GraphQL calls. */

export const V5 = 'a1b2c3d4';
export const V4 = 'e5f6a7b8';

/** Connects one device to a simulated deployment with its first seeded device user (or the given one). */
export async function connectDevice(
  stack: Stack,
  deploymentId: string,
  clientId: string,
  options: Partial<IClientOptions> = {},
): Promise<MqttClient> {
  const deployment = stack.sim.deployment(deploymentId);
  const port = deployment?.mqttPort();
  const user = deployment?.mqttUsers[0];
  if (!deployment || !port || !user) throw new Error(`deployment ${deploymentId} has no MQTT listener`);
  return mqtt.connectAsync({
    host: '127.0.0.1',
    port,
    clientId,
    username: user.username,
    password: user.password,
    protocolVersion: 4,
    reconnectPeriod: 0,
    connectTimeout: 5_000,
    ...options,
  });
}

/** Tries to connect and resolves with the CONNACK failure (or null when it connected, then disconnects). */
export async function connectRefusal(
  stack: Stack,
  deploymentId: string,
  clientId: string,
  options: Partial<IClientOptions> = {},
): Promise<Error | null> {
  try {
    const client = await connectDevice(stack, deploymentId, clientId, options);
    await client.endAsync(true);
    return null;
  } catch (error) {
    return error as Error;
  }
}

export interface Received {
  topic: string;
  payload: Buffer;
  qos: number;
  retain: boolean;
}

/** The next message the client receives (optionally on one topic). */
export function nextMessage(client: MqttClient, topic?: string): Promise<Received> {
  return new Promise((resolve) => {
    const onMessage = (t: string, payload: Buffer, packet: { qos: number; retain: boolean }) => {
      if (topic !== undefined && t !== topic) return;
      client.off('message', onMessage);
      resolve({ topic: t, payload, qos: packet.qos, retain: packet.retain });
    };
    client.on('message', onMessage);
  });
}

export const closeOf = (client: MqttClient) =>
  new Promise<void>((resolve) => (client.disconnected ? resolve() : client.once('close', () => resolve())));

/** Every request the simulator got for a deployment that was not a GET: the writes. */
export const writesTo = (stack: Stack, deploymentId: string) =>
  stack.sim.requestLog.entries({ target: deploymentId }).filter((e) => e.method !== 'GET');

/** Runs a mutation with one root field and answers that field's value (or throws with the GraphQL errors). */
export async function mutate<T = any>(
  stack: Stack,
  query: string,
  variables: Record<string, unknown> = {},
  token: string = stack.tokens.operator,
): Promise<T> {
  const { body } = await stack.gql(query, { variables, token });
  if (body.errors?.length || !body.data) throw new Error(JSON.stringify(body.errors ?? body));
  return Object.values(body.data)[0] as T;
}

/** The selection every result union gets: its type, any error's code/message/field, and the success fields. */
export const result = (success: string, fields: string) => `{
  __typename
  ... on ${success} { ${fields} }
  ... on Error { code message }
  ... on BadUserInputError { field }
  ... on UpstreamError { upstreamCode }
}`;
