import type { BrokerCore } from '../../broker/core.ts';
import { objectBody } from '../http/body.ts';
import { ApiError, badRequest, created, noContent, notFound, ok } from '../http/reply.ts';
import type { Route } from '../http/router.ts';

type Config = Record<string, unknown> & { type: string; name: string };

/**
 * Data-integration actions and connectors. The simulator reaches no external system, so every one reports
 * `disconnected`, and rules that reference an action count its calls as failed (out of service).
 */
function integrationRoutes(
  core: BrokerCore,
  kind: 'actions' | 'connectors',
  peers: () => Map<string, Config>,
  store: Map<string, Config>,
): Route[] {
  const status = (config: Config) => {
    const id = `${config.type}:${config.name}`;
    const reason = 'The simulated deployment has no route to external systems';
    const view = {
      ...config,
      status: 'disconnected',
      status_reason: reason,
      node_status: [{ node: core.nodeName, status: 'disconnected', status_reason: reason }],
    };
    if (kind === 'connectors') return view;
    return {
      ...view,
      rules: core.rules
        .list()
        .filter((r) => r.actions.some((a) => a.kind === 'reference' && a.ref === id))
        .map((r) => r.id),
    };
  };
  const find = (id: string | undefined) => {
    const config = store.get(id ?? '');
    if (!config) throw notFound('NOT_FOUND', `${kind === 'actions' ? 'Action' : 'Connector'} not found`);
    return config;
  };
  return [
    {
      path: `/${kind}`,
      methods: {
        GET: () => ok([...store.values()].map(status)),
        POST: ({ request }) => {
          const body = objectBody(request);
          if (typeof body.type !== 'string' || typeof body.name !== 'string')
            throw badRequest('Bad Request: type and name are required');
          const id = `${body.type}:${body.name}`;
          if (store.has(id)) throw new ApiError(400, 'ALREADY_EXISTS', 'bridge already exists');
          if (kind === 'actions' && !peers().has(`${body.type}:${String(body.connector)}`)) {
            throw badRequest(`Bad Request: connector_not_found_or_wrong_type: ${String(body.connector)}`);
          }
          const config: Config = {
            enable: true,
            description: '',
            tags: [],
            ...body,
            type: body.type,
            name: body.name,
          };
          store.set(id, config);
          return created(status(config));
        },
      },
    },
    {
      path: `/${kind}/{id}`,
      methods: {
        GET: ({ params }) => ok(status(find(params.id))),
        PUT: ({ request, params }) => {
          const existing = find(params.id);
          const config = { ...existing, ...objectBody(request), type: existing.type, name: existing.name };
          store.set(params.id ?? '', config);
          return ok(status(config));
        },
        DELETE: ({ params }) => {
          const config = find(params.id);
          if (kind === 'actions') {
            const rules = (status(config) as { rules: string[] }).rules;
            if (rules.length > 0)
              throw new ApiError(
                400,
                'BAD_REQUEST',
                'Cannot delete action while active rules are depending on it',
                { rules },
              );
          } else if (
            [...peers().values()].some((a) => a.connector === config.name && a.type === config.type)
          ) {
            throw badRequest(
              'Cannot delete connector while there are active channels defined for this connector',
            );
          }
          store.delete(params.id ?? '');
          return noContent();
        },
      },
    },
  ];
}

export function actionAndConnectorRoutes(core: BrokerCore): Route[] {
  const actions = new Map<string, Config>();
  const connectors = new Map<string, Config>();
  return [
    ...integrationRoutes(core, 'actions', () => connectors, actions),
    ...integrationRoutes(core, 'connectors', () => actions, connectors),
  ];
}
