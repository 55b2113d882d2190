import type { BrokerCore } from '../../broker/core.ts';
import type { Integration } from '../../broker/integrations/types.ts';
import { ACTION_TYPES } from '../catalog/integration-types.ts';
import { formatActionMetrics } from '../format/integration.ts';
import { ApiError, badRequest, noContent, ok } from '../http/reply.ts';
import type { Route } from '../http/router.ts';
import { notFoundError, parseId } from './integration-request.ts';

/** Ids of the rules whose actions reference `actionId` (enabled or not, as `get_rule_ids_by_action`). */
export function rulesUsing(core: BrokerCore, actionId: string): string[] {
  return core.rules
    .list()
    .filter((r) => r.actions.some((a) => a.kind === 'reference' && a.ref === actionId))
    .map((r) => r.id);
}

/**
 * `check_deps_and_remove`: a referenced action is not deleted (400 with the rule ids) unless
 * `also_delete_dep_actions=true`, which first removes the reference from those rules.
 */
export function refuseActionDelete(core: BrokerCore, actionId: string, query: URLSearchParams): void {
  const ids = rulesUsing(core, actionId);
  if (ids.length === 0) return;
  if (query.get('also_delete_dep_actions') !== 'true')
    throw new ApiError(400, 'BAD_REQUEST', 'Cannot delete action while active rules are depending on it', {
      rules: ids,
    });
  for (const id of ids) {
    const rule = core.rules.get(id);
    if (!rule) continue;
    const raw = Array.isArray(rule.extra.rawActions) ? rule.extra.rawActions : [];
    const keep = rule.actions.map((a) => !(a.kind === 'reference' && a.ref === actionId));
    core.rules.upsert({
      ...rule,
      actions: rule.actions.filter((_, i) => keep[i]),
      extra: { ...rule.extra, rawActions: raw.filter((_, i) => keep[i]) },
    });
  }
}

/** A connector is not deleted while an action (a "channel") is defined on it. */
export function refuseConnectorDelete(core: BrokerCore, connector: Integration): void {
  const used = core.integrations
    .list('actions')
    .some((a) => a.type === connector.type && a.config.connector === connector.name);
  if (used)
    throw badRequest('Cannot delete connector while there are active channels defined for this connector');
}

/** `/actions/{id}/metrics`, `/actions/{id}/metrics/reset` and `/action_types`. */
export function actionExtraRoutes(core: BrokerCore): Route[] {
  const metricsOf = (id: string | undefined) => {
    const { type, name } = parseId('actions', id ?? '');
    const metrics = core.integrations.metrics(`${type}:${name}`);
    if (!metrics) throw notFoundError('actions', type, name);
    return { key: `${type}:${name}`, metrics };
  };
  return [
    {
      path: '/actions/{id}/metrics',
      methods: { GET: ({ params }) => ok(formatActionMetrics(metricsOf(params.id).metrics, core.nodeName)) },
    },
    {
      path: '/actions/{id}/metrics/reset',
      methods: {
        PUT: ({ params }) => {
          core.integrations.resetMetrics(metricsOf(params.id).key);
          return noContent();
        },
      },
    },
    { path: '/action_types', methods: { GET: () => ok(ACTION_TYPES) } },
  ];
}
