import type { Alarm } from '../../broker/types.ts';
import type { V4Context } from '../context.ts';
import { getParam } from '../http/params.ts';
import { failMessage, HandlerCrash, ok } from '../http/reply.ts';
import type { V4Call, V4Route } from '../http/router.ts';
import { onNode } from './node-scope.ts';

type Kind = 'all' | 'activated' | 'deactivated';

/** `emqx_alarm` maps plus the `duration` `emqx_mgmt` adds; every time is in microseconds. */
function format(alarm: Alarm, nowMs: number) {
  const activated = alarm.deactivateAt === null;
  const activateAt = alarm.activateAt * 1000;
  const end = (alarm.deactivateAt ?? nowMs) * 1000;
  return {
    name: alarm.name,
    message: alarm.message,
    details: alarm.details,
    activated,
    activate_at: activateAt,
    deactivate_at: activated ? 'infinity' : end,
    duration: end - activateAt,
  };
}

function alarmsOf(ctx: V4Context, kind: Kind) {
  const { alarms } = ctx.broker;
  const list =
    kind === 'activated'
      ? alarms.activated()
      : kind === 'deactivated'
        ? alarms.deactivated()
        : [...alarms.activated(), ...alarms.deactivated()];
  const now = ctx.now();
  return list.map((alarm) => format(alarm, now));
}

/** `binary_to_atom(proplists:get_value(K, Params, undefined))`: a missing or non-string value crashes. */
function atomParam(call: V4Call, key: string): string {
  const value = getParam(call.params, key);
  if (typeof value !== 'string') throw new HandlerCrash(`badarg: binary_to_atom(${String(value)})`);
  return value;
}

function deactivate(ctx: V4Context, call: V4Call) {
  const node = atomParam(call, 'node');
  const name = atomParam(call, 'name');
  if (node !== ctx.broker.nodeName) return failMessage('nodedown');
  if (!ctx.broker.alarms.activated().some((alarm) => alarm.name === name)) return failMessage('not_found');
  ctx.broker.alarms.deactivate(name);
  return ok();
}

const APP = 'emqx_management';

/** `emqx_mgmt_api_alarms` (4.4: `activated`/`deactivated`, not the 4.0 `present`/`history`). */
export function alarmRoutes(ctx: V4Context): V4Route[] {
  const cluster = (kind: Kind) => () => ok([{ node: ctx.broker.nodeName, alarms: alarmsOf(ctx, kind) }]);
  const onOne = (kind: Kind) => (call: V4Call) =>
    onNode(ctx, call.bindings.node, () => ok(alarmsOf(ctx, kind)));
  const clear = () => {
    ctx.broker.alarms.clearDeactivated();
    return ok();
  };
  return [
    {
      name: 'list_all_alarms',
      method: 'GET',
      path: '/alarms',
      descr: 'List all alarms in the cluster',
      app: APP,
      handler: cluster('all'),
    },
    {
      name: 'list_node_alarms',
      method: 'GET',
      path: 'nodes/:atom:node/alarms',
      descr: 'List all alarms on a node',
      app: APP,
      handler: onOne('all'),
    },
    {
      name: 'list_all_activated_alarms',
      method: 'GET',
      path: '/alarms/activated',
      descr: 'List all activated alarm in the cluster',
      app: APP,
      handler: cluster('activated'),
    },
    {
      name: 'list_node_activated_alarms',
      method: 'GET',
      path: 'nodes/:atom:node/alarms/activated',
      descr: 'List all activated alarm on a node',
      app: APP,
      handler: onOne('activated'),
    },
    {
      name: 'list_all_deactivated_alarms',
      method: 'GET',
      path: '/alarms/deactivated',
      descr: 'List all deactivated alarm in the cluster',
      app: APP,
      handler: cluster('deactivated'),
    },
    {
      name: 'list_node_deactivated_alarms',
      method: 'GET',
      path: 'nodes/:atom:node/alarms/deactivated',
      descr: 'List all deactivated alarm on a node',
      app: APP,
      handler: onOne('deactivated'),
    },
    {
      name: 'deactivate_alarm',
      method: 'POST',
      path: '/alarms/deactivated',
      descr: 'Delete the special alarm on a node',
      app: APP,
      handler: (call) => deactivate(ctx, call),
    },
    {
      name: 'delete_all_deactivated_alarms',
      method: 'DELETE',
      path: '/alarms/deactivated',
      descr: 'Delete all deactivated alarm in the cluster',
      app: APP,
      handler: clear,
    },
    {
      name: 'delete_node_deactivated_alarms',
      method: 'DELETE',
      path: 'nodes/:atom:node/alarms/deactivated',
      descr: 'Delete all deactivated alarm on a node',
      app: APP,
      handler: ({ bindings }) => onNode(ctx, bindings.node, clear),
    },
  ];
}
