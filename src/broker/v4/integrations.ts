import { z } from 'zod';
import type { BrokerTransport } from '../api.ts';
import { brokerPath, parseBody } from '../call.ts';
import type { BrokerIntegrationApi, IntegrationType, ResourceWrite } from '../integrations.ts';
import type { BrokerResource } from '../model.ts';
import { redactSecrets } from '../secrets.ts';
import { notSupported } from '../wire.ts';
import { withoutEchoes, writePath } from '../write-support.ts';

/**
 * v4 rule-engine catalog and resources (emqx-api.md §3.10, seed 003): `GET /actions[/{name}]` and
 * `GET /resource_types[/{name}]` describe the built-in kinds; `POST /resources` creates one (`{code:0,
 * data}`), `DELETE /resources/{id}` removes it (idempotent; refused in-body while rules use it). Unknown
 * kinds are `{code: 404}` inside a 200, or a plain 404 for a name that is not an Erlang atom.
 */

const i18n = z
  .union([z.object({ en: z.string().nullish() }).loose(), z.string()])
  .nullish()
  .transform((v) => (typeof v === 'string' ? v : (v?.en ?? null)));

const typeSchema = z
  .object({
    name: z.string(),
    title: i18n,
    description: i18n,
    app: z.string().nullish(),
    provider: z.string().nullish(),
    types: z.array(z.string()).nullish(),
    params: z.unknown(),
  })
  .loose()
  .transform(
    (t): IntegrationType => ({
      name: t.name,
      title: t.title,
      description: t.description,
      provider: t.app ?? t.provider ?? null,
      resourceTypes: t.types ?? [],
      params: t.params ?? null,
    }),
  );

const one = z.object({ code: z.literal(0), data: typeSchema });
const many = z.object({ code: z.literal(0), data: z.array(typeSchema) });
const created = z.object({
  code: z.literal(0),
  data: z
    .object({ id: z.string(), type: z.string(), description: z.string().nullish(), config: z.unknown() })
    .loose()
    .transform(
      (r): BrokerResource => ({
        id: r.id,
        name: r.description || null,
        type: r.type,
        status: null,
        enabled: null,
        node: null,
        raw: redactSecrets(r),
      }),
    ),
});

export function v4Integrations(t: BrokerTransport): BrokerIntegrationApi {
  async function list(kind: 'actions' | 'resource_types') {
    const path = kind === 'actions' ? brokerPath`/actions` : brokerPath`/resource_types`;
    const reply = await t.send({ domain: 'catalog', method: 'GET', path });
    return { value: parseBody(many, reply.body, path.route).data, freshness: reply.freshness };
  }

  async function get(kind: 'actions' | 'resource_types', name: string) {
    const path = kind === 'actions' ? brokerPath`/actions/${name}` : brokerPath`/resource_types/${name}`;
    const reply = await t.send({ domain: 'catalog', method: 'GET', path, accept: [404] });
    const value = reply.status === 404 ? null : parseBody(one, reply.body, path.route).data;
    return { value, freshness: reply.freshness };
  }

  async function createResource(resource: ResourceWrite) {
    const path = writePath('/resources');
    const body = {
      type: resource.type,
      config: resource.config,
      ...(resource.id !== null ? { id: resource.id } : {}),
      ...(resource.description !== null ? { description: resource.description } : {}),
    };
    const reply = await t.send({ domain: 'resources', method: 'POST', path, body });
    return parseBody(created, reply.body, path.route).data;
  }

  async function deleteResource(id: string) {
    const path = writePath('/resources/{id}', { id }, { keepColon: true });
    await t.send({ domain: 'resources', method: 'DELETE', path });
  }

  const v5Only = (what: string) => notSupported(what, 'v4');
  return {
    actionTypes: () => list('actions'),
    actionType: (name) => get('actions', name),
    resourceTypes: () => list('resource_types'),
    resourceType: (name) => get('resource_types', name),
    createResource: (r) => withoutEchoes('resource', () => createResource(r)),
    deleteResource: (id) => withoutEchoes('resource', () => deleteResource(id)),
    actionMetrics: v5Only('The action metrics API'),
    registeredSchemas: v5Only('The schema registry'),
    registeredSchema: v5Only('The schema registry'),
    createConnector: v5Only('The connectors API'),
    updateConnector: v5Only('The connectors API'),
    deleteConnector: v5Only('The connectors API'),
    setConnectorEnabled: v5Only('The connectors API'),
    startConnector: v5Only('The connectors API'),
    testConnector: v5Only('The connectors API'),
    createAction: v5Only('The actions (data integration) API'),
    updateAction: v5Only('The actions (data integration) API'),
    deleteAction: v5Only('The actions (data integration) API'),
    setActionEnabled: v5Only('The actions (data integration) API'),
    startAction: v5Only('The actions (data integration) API'),
    testAction: v5Only('The actions (data integration) API'),
    resetActionMetrics: v5Only('The actions (data integration) API'),
    createRegisteredSchema: v5Only('The schema registry'),
    updateRegisteredSchema: v5Only('The schema registry'),
    deleteRegisteredSchema: v5Only('The schema registry'),
  };
}
