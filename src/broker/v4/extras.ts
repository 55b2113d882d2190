import { z } from 'zod';
import type { BrokerReadApi, BrokerTransport } from '../api.ts';
import { brokerPath, parseBody } from '../call.ts';
import type { BrokerResource } from '../model.ts';
import { redactSecrets } from '../secrets.ts';
import { notSupported } from '../wire.ts';
import { envelope } from './params.ts';

/**
 * v4-only data (docs/emqx-api.md §3.5, §3.6, §3.10): plugins and listeners per node, rule-engine resources.
 * v5's retained-message, authentication, authorization, action and connector APIs have no v4 form here.
 */

const pluginsSchema = envelope(
  z.array(
    z.object({
      node: z.string(),
      plugins: z.array(
        z.object({ name: z.string(), type: z.string().nullish(), active: z.boolean().nullish() }).loose(),
      ),
    }),
  ),
);

const listenersSchema = envelope(
  z.array(
    z.object({
      node: z.string(),
      listeners: z.array(
        z
          .object({
            identifier: z.string().nullish(),
            protocol: z.string().nullish(),
            listen_on: z.union([z.string(), z.number()]).nullish(),
          })
          .loose(),
      ),
    }),
  ),
);

/** The list shows `status` as one boolean; one resource shows it per node. */
const resourcesSchema = envelope(
  z.array(
    z
      .object({
        id: z.string(),
        type: z.string().nullish(),
        description: z.string().nullish(),
        status: z.unknown(),
      })
      .loose(),
  ),
);

export function v4Extras(
  t: BrokerTransport,
): Pick<
  BrokerReadApi,
  | 'plugins'
  | 'listeners'
  | 'resources'
  | 'listRetained'
  | 'getRetained'
  | 'listAuthnUsers'
  | 'listAuthzRules'
  | 'actions'
  | 'connectors'
> {
  async function plugins() {
    const path = brokerPath`/plugins`;
    const reply = await t.send({ domain: 'plugins', method: 'GET', path });
    const value = parseBody(pluginsSchema, reply.body, path.route).data.flatMap(({ node, plugins: list }) =>
      list.map(
        (p): BrokerResource => ({
          id: p.name,
          name: p.name,
          type: p.type ?? null,
          status: p.active ? 'active' : 'inactive',
          enabled: p.active ?? null,
          node,
          raw: p,
        }),
      ),
    );
    return { value, freshness: reply.freshness };
  }

  async function listeners() {
    const path = brokerPath`/listeners`;
    const reply = await t.send({ domain: 'listeners', method: 'GET', path });
    const value = parseBody(listenersSchema, reply.body, path.route).data.flatMap(
      ({ node, listeners: list }) =>
        list.map(
          (l): BrokerResource => ({
            // HTTP (ranch) listeners carry no identifier; their protocol and address name them.
            id: l.identifier ?? `${l.protocol ?? 'listener'}:${l.listen_on ?? ''}`,
            name: l.identifier ?? null,
            type: l.protocol ?? null,
            status: null,
            enabled: null,
            node,
            raw: l,
          }),
        ),
    );
    return { value, freshness: reply.freshness };
  }

  async function resources() {
    const path = brokerPath`/resources`;
    const reply = await t.send({ domain: 'resources', method: 'GET', path });
    const value = parseBody(resourcesSchema, reply.body, path.route).data.map(
      (r): BrokerResource => ({
        id: r.id,
        name: r.description || null,
        type: r.type ?? null,
        status: typeof r.status === 'boolean' ? (r.status ? 'connected' : 'disconnected') : null,
        enabled: null,
        node: null,
        raw: redactSecrets(r),
      }),
    );
    return { value, freshness: reply.freshness };
  }

  return {
    plugins,
    listeners,
    resources,
    listRetained: notSupported('The retained message API', 'v4'),
    getRetained: notSupported('The retained message API', 'v4'),
    listAuthnUsers: notSupported('The built-in database authentication user API', 'v4'),
    listAuthzRules: notSupported('The built-in database authorization rule API', 'v4'),
    actions: notSupported('The actions (data integration) API', 'v4'),
    connectors: notSupported('The connectors API', 'v4'),
  };
}
