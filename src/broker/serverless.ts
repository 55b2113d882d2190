import { NotSupportedError } from '../errors.ts';
import type { BrokerApi } from './api.ts';

/**
 * EMQX Cloud Serverless deployments expose only the clients, subscriptions and publish APIs (emqx-api.md
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

const views = new WeakMap<BrokerApi, BrokerApi>();

export function serverlessView(api: BrokerApi): BrokerApi {
  let view = views.get(api);
  if (!view) {
    view = new Proxy(api, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (typeof value !== 'function' || SERVERLESS_METHODS.has(property)) return value;
        return async () => {
          throw new NotSupportedError(`The ${String(property)} API`, 'Cloud Serverless');
        };
      },
    });
    views.set(api, view);
  }
  return view;
}
