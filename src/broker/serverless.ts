import { NotSupportedError } from '../errors.ts';
import type { BrokerApi } from './api.ts';

/**
 * EMQX Cloud Serverless deployments expose only the clients, subscriptions and publish APIs (docs/emqx-api.md
 * §1.1a); their other paths answer 404. Everything else is refused here with NOT_SUPPORTED, before a call.
 * An allowlist, so a broker method added later is refused on Serverless until someone says otherwise.
 */
const SERVERLESS_METHODS: ReadonlySet<PropertyKey> = new Set<keyof BrokerApi>([
  'deploymentId',
  'version',
  'listClients',
  'getClients',
  'clientSubscriptions',
  'listSubscriptions',
  'publish',
  'publishBatch',
  'kickClient',
  'kickClients',
  'subscribe',
  'unsubscribe',
  'subscribeMany',
  'unsubscribeMany',
]);

/** What a refused method is about, in the words of EMQX's docs rather than ours. First match wins. */
const FEATURES: ReadonlyArray<readonly [RegExp, string]> = [
  [/Retained/, 'Retained messages'],
  [/Authn/, 'Built-in authentication users'],
  [/Authz|Authorization/, 'Authorization rules'],
  [/Ban/, 'Bans (the blacklist)'],
  [/[Rr]ule/, 'The rule engine'],
  [/^(nodes|stats|metrics|alarms)$/, 'Cluster nodes, statistics, metrics and alarms'],
  [/[Aa]ction|[Cc]onnector|[Rr]esource|[Ss]chema/, 'Data integration (actions, connectors, resources)'],
  [/[Pp]lugin|[Ll]istener|[Rr]oute/, 'Broker administration (plugins, listeners, routes)'],
];

/** The feature a method belongs to, for an error a person can act on (never the method's own name). */
export function serverlessFeature(method: string): string {
  return FEATURES.find(([pattern]) => pattern.test(method))?.[1] ?? 'This broker API';
}

const views = new WeakMap<BrokerApi, BrokerApi>();

export function serverlessView(api: BrokerApi): BrokerApi {
  let view = views.get(api);
  if (!view) {
    view = new Proxy(api, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (typeof value !== 'function' || SERVERLESS_METHODS.has(property)) return value;
        return async () => {
          throw new NotSupportedError(serverlessFeature(String(property)), 'Cloud Serverless');
        };
      },
    });
    views.set(api, view);
  }
  return view;
}
