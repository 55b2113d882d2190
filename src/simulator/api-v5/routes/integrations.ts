import type { BrokerCore } from '../../broker/core.ts';
import type { IntegrationKind } from '../../broker/integrations/store.ts';
import { type Integration, integrationId, isEnabled } from '../../broker/integrations/types.ts';
import { ACTION_TYPES, CONNECTOR_TYPES } from '../catalog/integration-types.ts';
import { formatIntegration } from '../format/integration.ts';
import { deobfuscate } from '../format/redact.ts';
import { objectBody } from '../http/body.ts';
import { ApiError, badRequest, created, noContent, ok } from '../http/reply.ts';
import type { Route } from '../http/router.ts';
import {
  actionExtraRoutes,
  refuseActionDelete,
  refuseConnectorDelete,
  rulesUsing,
} from './integration-deps.ts';
import { configOf, creationOf, enableParam, notFoundError, parseId } from './integration-request.ts';

/** What differs between actions and connectors; everything else is `emqx_bridge_v2_api` / `emqx_connector_api`. */
export interface KindRules {
  kind: IntegrationKind;
  types: readonly string[];
  /** Refuses a config whose references do not hold (an action's connector). */
  checkReferences(type: string, config: Record<string, unknown>): void;
  /** Refuses a delete while something depends on it (400), or removes the dependants when asked. */
  beforeDelete(entry: Integration, query: URLSearchParams): void;
  /** `POST /…_probe`: whether the configuration would work. */
  probe(type: string, config: Record<string, unknown>): Promise<boolean>;
  disabledMessage: string;
}

function integrationRoutes(core: BrokerCore, rules: KindRules): Route[] {
  const { kind } = rules;
  const store = core.integrations;
  const view = (entry: Integration) =>
    formatIntegration(
      entry,
      core.nodeName,
      kind === 'actions' ? rulesUsing(core, integrationId(entry)) : undefined,
    );
  const find = (id: string | undefined) => {
    const { type, name } = parseId(kind, id ?? '');
    const entry = store.get(kind, `${type}:${name}`);
    if (!entry) throw notFoundError(kind, type, name);
    return entry;
  };
  const save = async (type: string, name: string, config: Record<string, unknown>) => {
    rules.checkReferences(type, config);
    return view(await store.save(kind, { type, name, config }));
  };
  return [
    {
      path: `/${kind}`,
      methods: {
        GET: async () => {
          await store.refresh();
          return ok(store.list(kind).map(view));
        },
        POST: async ({ request }) => {
          const { type, name, config } = creationOf(kind, request, rules.types);
          if (store.get(kind, `${type}:${name}`))
            throw new ApiError(
              400,
              'ALREADY_EXISTS',
              `${kind === 'actions' ? 'bridge' : 'connector'} already exists`,
            );
          return created(await save(type, name, config));
        },
      },
    },
    {
      path: `/${kind}/{id}`,
      methods: {
        GET: async ({ params }) => {
          const entry = find(params.id);
          await store.refresh();
          return ok(view(entry));
        },
        PUT: async ({ request, params }) => {
          const entry = find(params.id);
          const config = configOf(kind, entry.type, deobfuscate(objectBody(request), entry.config));
          return ok(await save(entry.type, entry.name, config));
        },
        DELETE: ({ params, query }) => {
          const entry = find(params.id);
          rules.beforeDelete(entry, query);
          store.remove(kind, integrationId(entry));
          return noContent();
        },
      },
    },
    {
      path: `/${kind}/{id}/enable/{enable}`,
      methods: {
        PUT: async ({ params }) => {
          const entry = find(params.id);
          const enable = enableParam(params.enable);
          await store.save(kind, { ...entry, config: { ...entry.config, enable } });
          return noContent();
        },
      },
    },
    {
      path: `/${kind}/{id}/{operation}`,
      methods: {
        POST: async ({ params }) => {
          if (params.operation !== 'start')
            throw badRequest(
              `Bad Request: operation: the value must be one of [start], got: ${params.operation}`,
            );
          const entry = find(params.id);
          const connector = kind === 'actions' ? store.connectorOf(entry) : entry;
          if (!isEnabled(entry) || !connector || !isEnabled(connector))
            throw badRequest(rules.disabledMessage);
          await store.refresh();
          return noContent();
        },
      },
    },
    {
      path: `/${kind}_probe`,
      methods: {
        POST: async ({ request }) => {
          const { type, name, config } = creationOf(kind, request, rules.types);
          const existing = store.get(kind, `${type}:${name}`);
          const merged = existing ? deobfuscate(config, existing.config) : config;
          if (!(await rules.probe(type, merged)))
            throw new ApiError(
              400,
              'TEST_FAILED',
              'The simulated deployment cannot reach the configured endpoint',
            );
          return noContent();
        },
      },
    },
  ];
}

/** v5 data integration: `/actions…`, `/action_types`, `/connectors…` (emqx-api.md §4.10). */
export function actionAndConnectorRoutes(core: BrokerCore): Route[] {
  const store = core.integrations;
  const actions: KindRules = {
    kind: 'actions',
    types: ACTION_TYPES,
    checkReferences(type, config) {
      if (!store.get('connectors', `${type}:${String(config.connector)}`))
        throw badRequest(
          JSON.stringify({
            kind: 'validation_error',
            reason: 'connector_not_found_or_wrong_type',
            connector_name: config.connector,
            bridge_type: type,
          }),
        );
    },
    beforeDelete: (entry, query) => refuseActionDelete(core, integrationId(entry), query),
    async probe(type, config) {
      const connector = store.get('connectors', `${type}:${String(config.connector)}`);
      return connector !== undefined && isEnabled(connector) && (await store.probe(connector.config));
    },
    disabledMessage: 'Forbidden operation, bridge not enabled',
  };
  const connectors: KindRules = {
    kind: 'connectors',
    types: CONNECTOR_TYPES,
    checkReferences: () => {},
    beforeDelete: (entry) => refuseConnectorDelete(core, entry),
    probe: (_type, config) => store.probe(config),
    disabledMessage: 'Forbidden operation, connector not enabled',
  };
  return [
    ...integrationRoutes(core, actions),
    ...actionExtraRoutes(core),
    ...integrationRoutes(core, connectors),
  ];
}
