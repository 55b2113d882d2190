import { type Client, createClient } from 'graphql-ws';
import { request } from 'undici';
import WebSocket from 'ws';

/** One GraphQL subscription as a test sees it, over SSE or WebSocket. */
export interface LiveSubscription {
  /** Every result received so far, in order. */
  readonly results: Array<{
    data?: any;
    errors?: Array<{ message: string; extensions?: Record<string, any> }>;
  }>;
  /** Resolves when the server completes the stream (or the transport ends). */
  readonly done: Promise<void>;
  /** Waits until at least `count` results arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  /** The caller goes away. */
  close(): void;
}

function waiter(results: unknown[], done: Promise<void>) {
  let finished = false;
  void done.then(() => {
    finished = true;
  });
  return async (count: number, timeoutMs = 5000) => {
    const deadline = Date.now() + timeoutMs;
    while (results.length < count) {
      if (finished) throw new Error(`stream ended after ${results.length} of ${count} results`);
      if (Date.now() > deadline) throw new Error(`only ${results.length} of ${count} results in time`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
}

/** GraphQL over SSE (Yoga's distinct-connections mode): POST with `Accept: text/event-stream`. */
export async function sseSubscribe(
  url: string,
  token: string,
  query: string,
  variables: Record<string, unknown> = {},
  options: { paused?: boolean } = {},
): Promise<LiveSubscription & { status: number; resume(): void }> {
  const controller = new AbortController();
  const response = await request(`${url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'text/event-stream',
      authorization: `Bearer ${token}`,
    },
    body: JSON.stringify({ query, variables }),
    signal: controller.signal,
  });
  const results: LiveSubscription['results'] = [];
  // A paused stream is not read at all (a slow consumer): the body waits in the socket until resume().
  let resume = () => {};
  const resumed = options.paused ? new Promise<void>((resolve) => (resume = resolve)) : Promise.resolve();
  const done = (async () => {
    let buffer = '';
    try {
      await resumed;
      for await (const chunk of response.body) {
        buffer += chunk.toString();
        let end = buffer.indexOf('\n\n');
        while (end !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = block
            .split('\n')
            .filter((line) => line.startsWith('data:'))
            .map((line) => line.slice(5).trim())
            .join('\n');
          if (event === 'complete') return;
          if (data) results.push(JSON.parse(data));
          end = buffer.indexOf('\n\n');
        }
      }
    } catch {
      // aborted by close()
    }
  })();
  return {
    status: response.statusCode,
    results,
    done,
    waitFor: waiter(results, done),
    close: () => controller.abort(),
    resume: () => resume(),
  };
}

/** A graphql-transport-ws client whose connection_init carries the bearer token. */
export function wsClient(url: string, token: string | null): Client {
  return createClient({
    url: `${url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: token ? { Authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    lazy: true,
  });
}

export function wsSubscribe(
  client: Client,
  query: string,
  variables: Record<string, unknown> = {},
): LiveSubscription {
  const results: LiveSubscription['results'] = [];
  let stop = () => {};
  const done = new Promise<void>((resolve) => {
    stop = client.subscribe(
      { query, variables },
      {
        next: (value) => void results.push(value as LiveSubscription['results'][number]),
        error: (error) => {
          results.push({
            errors: Array.isArray(error) ? error : [{ message: String((error as Error)?.message ?? error) }],
          });
          resolve();
        },
        complete: () => resolve(),
      },
    );
  });
  return { results, done, waitFor: waiter(results, done), close: () => stop() };
}

/** What a live test reads from the simulator: the gateway's own MQTT client on a deployment's broker. */
export interface LiveDeployment {
  apiUrl: string;
  appId: string;
  appSecret: string;
  gatewayMqttUser: { username: string } | null;
  mqttConnections(username?: string): number;
}

/** The topic filters the gateway's MQTT client holds on the broker, read from the broker's management API. */
export async function gatewayFilters(deployment: LiveDeployment): Promise<string[]> {
  const response = await request(`${deployment.apiUrl}/subscriptions?limit=1000`, {
    headers: {
      authorization: `Basic ${Buffer.from(`${deployment.appId}:${deployment.appSecret}`).toString('base64')}`,
    },
  });
  const body = (await response.body.json()) as { data: Array<{ clientid: string; topic: string }> };
  return body.data
    .filter((s) => s.clientid.startsWith('emqx-cloud-gateway-'))
    .map((s) => s.topic)
    .sort();
}

/** The gateway's MQTT connections to the deployment's broker (its own MQTT user). */
export const gatewayConnections = (deployment: LiveDeployment) =>
  deployment.mqttConnections(deployment.gatewayMqttUser!.username);
