import { z } from 'zod';
import { NotFoundError } from '../../../errors.ts';
import type { BrokerTransport } from '../../api.ts';
import { parseBody } from '../../call.ts';
import type { ActionWrite, BrokerIntegrationApi, ConnectorWrite } from '../../integrations.ts';
import { integrationId } from '../../integrations.ts';
import type { BrokerResource } from '../../model.ts';
import { StillInUseError, withoutEchoes, writePath } from '../../write-support.ts';
import { resourceSchema } from '../extras.ts';

/**
 * v5 connector and action writes (emqx-api.md §4.10): 201 on create (400 ALREADY_EXISTS), 200 on PUT,
 * 204 on delete, enable, start and reset. PUT replaces the whole configuration, so updates read the current
 * one first for what the caller left out (EMQX keeps a secret sent back as `******`). EMQX's error text can
 * quote the configuration it refused, secrets included, so it is dropped here: errors keep code and status.
 */

type Kind = 'actions' | 'connectors';

const noun = (kind: Kind) => (kind === 'actions' ? 'action' : 'connector');

const dependentRules = z.object({ code: z.string(), rules: z.array(z.string()).default([]) }).loose();

const connectorBody = (c: ConnectorWrite) => ({
  ...c.config,
  ...(c.description !== null ? { description: c.description } : {}),
  ...(c.enabled !== null ? { enable: c.enabled } : {}),
});

const actionBody = (a: ActionWrite) => ({
  ...a.config,
  connector: a.connector,
  parameters: a.parameters,
  ...(a.description !== null ? { description: a.description } : {}),
  ...(a.enabled !== null ? { enable: a.enabled } : {}),
});

export function v5IntegrationWrites(
  t: BrokerTransport,
): Omit<
  BrokerIntegrationApi,
  | 'actionTypes'
  | 'actionType'
  | 'resourceTypes'
  | 'resourceType'
  | 'actionMetrics'
  | 'registeredSchemas'
  | 'registeredSchema'
  | 'createResource'
  | 'deleteResource'
  | 'createRegisteredSchema'
  | 'updateRegisteredSchema'
  | 'deleteRegisteredSchema'
> {
  const notFound = (kind: Kind, id: string) => new NotFoundError(`No ${noun(kind)} ${id} on this deployment`);

  async function create(kind: Kind, body: Record<string, unknown>): Promise<BrokerResource> {
    const path = writePath(`/${kind}`);
    const reply = await t.send({ domain: kind, method: 'POST', path, body });
    return parseBody(resourceSchema, reply.body, path.route);
  }

  async function replace(kind: Kind, id: string, body: Record<string, unknown>): Promise<BrokerResource> {
    const path = writePath(`/${kind}/{id}`, { id });
    const current = await t.send({ domain: kind, method: 'GET', path, accept: [404] });
    if (current.status === 404) throw notFound(kind, id);
    const was = parseBody(resourceSchema, current.body, path.route);
    const description = (was.raw as { description?: unknown }).description;
    const kept = {
      ...(typeof description === 'string' ? { description } : {}),
      ...(was.enabled !== null ? { enable: was.enabled } : {}),
    };
    const reply = await t.send({
      domain: kind,
      method: 'PUT',
      path,
      body: { ...kept, ...body },
      accept: [404],
    });
    if (reply.status === 404) throw notFound(kind, id);
    return parseBody(resourceSchema, reply.body, path.route);
  }

  /** A write on one existing action or connector that answers 204, 404 for an unknown id. */
  async function onOne(kind: Kind, method: 'PUT' | 'POST', template: string, id: string, extra = {}) {
    const path = writePath(template, { id, ...extra });
    const reply = await t.send({ domain: kind, method, path, accept: [404] });
    if (reply.status === 404) throw notFound(kind, id);
  }

  async function probe(kind: Kind, body: Record<string, unknown>) {
    const path = writePath(kind === 'actions' ? '/actions_probe' : '/connectors_probe');
    const reply = await t.send({ domain: kind, method: 'POST', path, body, accept: [400] });
    if (reply.status !== 400) return { ok: true, code: null };
    const code = (reply.body as { code?: unknown } | undefined)?.code;
    return { ok: false, code: typeof code === 'string' ? code : 'TEST_FAILED' };
  }

  async function remove(kind: Kind, id: string, withRules: boolean) {
    const path = writePath(`/${kind}/{id}`, { id });
    const query =
      kind === 'actions' && withRules ? new URLSearchParams({ also_delete_dep_actions: 'true' }) : undefined;
    const reply = await t.send({
      domain: kind,
      method: 'DELETE',
      path,
      ...(query ? { query } : {}),
      accept: [400, 404],
    });
    if (reply.status === 404) throw notFound(kind, id);
    if (reply.status !== 400) return;
    const refused = dependentRules.safeParse(reply.body);
    const rules = refused.success ? refused.data.rules : [];
    const users = kind === 'actions' && rules.length > 0 ? `rules ${rules.join(', ')}` : 'others';
    throw new StillInUseError(
      `The ${noun(kind)} ${id} is still used by ${users}`,
      refused.data?.code ?? 'BAD_REQUEST',
      400,
    );
  }

  const quiet =
    <A extends unknown[], R>(what: string, run: (...args: A) => Promise<R>) =>
    (...args: A) =>
      withoutEchoes(what, () => run(...args));

  return {
    createConnector: quiet('connector', (c: ConnectorWrite) =>
      create('connectors', { type: c.type, name: c.name, ...connectorBody(c) }),
    ),
    updateConnector: quiet('connector', (c: ConnectorWrite) =>
      replace('connectors', integrationId(c), connectorBody(c)),
    ),
    deleteConnector: quiet('connector', (id: string) => remove('connectors', id, false)),
    setConnectorEnabled: quiet('connector', (id: string, enabled: boolean) =>
      onOne('connectors', 'PUT', '/connectors/{id}/enable/{enable}', id, { enable: String(enabled) }),
    ),
    startConnector: quiet('connector', (id: string) =>
      onOne('connectors', 'POST', '/connectors/{id}/start', id),
    ),
    testConnector: quiet('connector', (c: ConnectorWrite) =>
      probe('connectors', { type: c.type, name: c.name, ...connectorBody(c) }),
    ),
    createAction: quiet('action', (a: ActionWrite) =>
      create('actions', { type: a.type, name: a.name, ...actionBody(a) }),
    ),
    updateAction: quiet('action', (a: ActionWrite) => replace('actions', integrationId(a), actionBody(a))),
    deleteAction: quiet('action', (id: string, withRules: boolean) => remove('actions', id, withRules)),
    setActionEnabled: quiet('action', (id: string, enabled: boolean) =>
      onOne('actions', 'PUT', '/actions/{id}/enable/{enable}', id, { enable: String(enabled) }),
    ),
    startAction: quiet('action', (id: string) => onOne('actions', 'POST', '/actions/{id}/start', id)),
    testAction: quiet('action', (a: ActionWrite) =>
      probe('actions', { type: a.type, name: a.name, ...actionBody(a) }),
    ),
    resetActionMetrics: quiet('action', async (id: string) => {
      const path = writePath('/actions/{id}/metrics/reset', { id });
      const reply = await t.send({ domain: 'actions', method: 'PUT', path, accept: [404] });
      if (reply.status === 404) throw notFound('actions', id);
    }),
  };
}
