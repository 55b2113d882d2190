import { createHash, randomBytes } from 'node:crypto';
import type { GraphiQLOptions } from 'graphql-yoga';
import type { Simulator } from '../simulator/index.ts';
import { DEMO_EXAMPLES } from './examples.ts';

/** The demo gateway's configuration document, tokens and GraphiQL set-up. */

export interface DemoTokens {
  admin: string;
  operator: string;
  viewer: string;
}

/** Random per run; GATEWAY_ADMIN_TOKEN (16+ characters) fixes the admin one, e.g. for scripts. */
export function demoTokens(env: NodeJS.ProcessEnv): DemoTokens {
  const random = (role: string) => `demo-${role}-${randomBytes(18).toString('base64url')}`;
  return {
    admin: env.GATEWAY_ADMIN_TOKEN || random('admin'),
    operator: random('operator'),
    viewer: random('viewer'),
  };
}

/**
 * The deployments list is what costs platform quota (60 list calls an hour): one refresh per TTL while
 * someone explores, so 90 s spends at most 40 an hour and leaves the rest for lifecycle checks and a second
 * tab. (10 s spent 28 calls in 15 minutes.) A start or stop shows at once; the state after it (RUNNING after
 * STARTING) shows at the next refresh. Broker reads cost no platform quota and stay short.
 */
export const DEMO_CACHE = { deploymentsTtlSeconds: 90, brokerTtlSeconds: 2 } as const;

/**
 * Each deployment's broker API and, for live data (GraphQL subscriptions), its MQTT address with the user the
 * simulator lets subscribe to `$SYS/#`. `mqttUrls` holds the addresses of deployments that are not running yet.
 */
export function demoConfigDocument(
  sim: Simulator,
  tokens: DemoTokens,
  mqttUrls: Record<string, string> = {},
) {
  const deployments = Object.fromEntries(
    sim.deployments().map((d) => {
      const url = d.mqttUrl() ?? mqttUrls[d.id];
      const user = d.gatewayMqttUser;
      const mqtt = url && user ? { mqtt: { url, username: user.username, password: user.password } } : {};
      return [d.id, { apiUrl: d.apiUrl, apiKey: d.appId, apiSecret: d.appSecret, ...mqtt }];
    }),
  );
  return {
    platform: { apiUrl: sim.platform.url, apiKey: sim.platform.apiKey, apiSecret: sim.platform.apiSecret },
    deployments,
    cache: DEMO_CACHE,
    auth: {
      apiKeys: Object.entries(tokens).map(([role, key]) => ({
        name: `demo-${role}`,
        key,
        role,
        projects: ['*'],
      })),
    },
  };
}

export interface DemoGraphiQL {
  options: Partial<GraphiQLOptions>;
  /** Changes with the admin token, so a browser drops tabs that still carry a previous run's token. */
  storageEpoch: string;
}

/**
 * GraphiQL opens with the admin token in every tab's headers (so the docs explorer loads at once) and one
 * tab per example. Only on a loopback address: anyone who can load the page gets the token.
 */
export function demoGraphiQL(adminToken: string, loopback: boolean): DemoGraphiQL {
  const storageEpoch = createHash('sha256').update(adminToken).digest('base64url').slice(0, 16);
  if (!loopback) return { options: { defaultTabs: DEMO_EXAMPLES.map((query) => ({ query })) }, storageEpoch };
  const headers = JSON.stringify({ Authorization: `Bearer ${adminToken}` }, null, 2);
  return {
    options: {
      headers,
      defaultHeaders: headers,
      defaultQuery: DEMO_EXAMPLES[0],
      defaultTabs: DEMO_EXAMPLES.map((query) => ({ query, headers })),
    },
    storageEpoch,
  };
}
