import type { BrokerCore } from '../broker/core.ts';
import type { SimHandler } from '../types.ts';
import { createRouter } from './http/router.ts';
import { alarmRoutes } from './routes/alarms.ts';
import { authnUserRoutes } from './routes/authn-users.ts';
import { authzRuleRoutes } from './routes/authz-rules.ts';
import { bannedRoutes } from './routes/banned.ts';
import { clientQueueRoutes } from './routes/client-queues.ts';
import { clientSubscriptionRoutes } from './routes/client-subscriptions.ts';
import { clientRoutes } from './routes/clients.ts';
import { actionAndConnectorRoutes } from './routes/integrations.ts';
import { listenerRoutes } from './routes/listeners.ts';
import { nodeRoutes } from './routes/nodes.ts';
import { publishRoutes } from './routes/publish.ts';
import { retainerRoutes } from './routes/retainer.ts';
import { ruleEventRoutes } from './routes/rule-events.ts';
import { ruleTestRoutes } from './routes/rule-test.ts';
import { ruleRoutes } from './routes/rules.ts';
import { schemaRegistryRoutes } from './routes/schema-registry.ts';
import { subscriptionRoutes } from './routes/subscriptions.ts';

export interface V5ApiOptions {
  /** API key (EMQX Cloud's App ID) checked with HTTP Basic. */
  appId: string;
  appSecret: string;
  /** Serverless deployments expose only the clients, subscriptions and publish APIs. @default false */
  serverless?: boolean;
  /** @default Date.now */
  now?: () => number;
}

const SERVERLESS_PATHS = /^\/(clients|subscriptions|publish)(\/|$)/;

/** The EMQX 5.8 management API (`/api/v5/...`) over a broker core. */
export function createV5Api(core: BrokerCore, options: V5ApiOptions): SimHandler {
  const now = options.now ?? Date.now;
  return createRouter({
    key: { appId: options.appId, appSecret: options.appSecret },
    exposes: options.serverless ? (path) => SERVERLESS_PATHS.test(path) : undefined,
    routes: [
      ...clientRoutes(core),
      ...clientSubscriptionRoutes(core),
      ...clientQueueRoutes(core),
      ...subscriptionRoutes(core),
      ...publishRoutes(core),
      ...bannedRoutes(core, now),
      ...retainerRoutes(core),
      ...ruleRoutes(core),
      ...ruleTestRoutes(core, now),
      ...ruleEventRoutes(),
      ...nodeRoutes(core),
      ...listenerRoutes(core),
      ...alarmRoutes(core, now),
      ...authnUserRoutes(core),
      ...authzRuleRoutes(core),
      ...actionAndConnectorRoutes(core),
      ...schemaRegistryRoutes(),
    ],
  });
}
