import { ACTIONS, byTitle, findAction } from '../catalog/actions.ts';
import { findResourceType, RESOURCE_TYPES } from '../catalog/resource-types.ts';
import { eventInfo } from '../catalog/rule-events.ts';
import type { V4Context } from '../context.ts';
import { fail, ok } from '../http/reply.ts';
import type { V4Route } from '../http/router.ts';

const notFound = () => fail(404, 'Not Found');

const APP = 'emqx_rule_engine';

/** Actions, resource types and events of `emqx_rule_engine_api` (4.4): built in, read-only. */
export function ruleCatalogRoutes(ctx: V4Context): V4Route[] {
  return [
    {
      name: 'list_actions',
      method: 'GET',
      path: '/actions/',
      descr: 'A list of all actions',
      app: APP,
      handler: () => ok(byTitle(ACTIONS)),
    },
    {
      name: 'show_action',
      method: 'GET',
      path: '/actions/:atom:name',
      descr: 'Show an action',
      app: APP,
      handler: ({ bindings }) => {
        const action = findAction(bindings.name!);
        return action ? ok(action) : notFound();
      },
    },
    {
      name: 'list_resource_types',
      method: 'GET',
      path: '/resource_types/',
      descr: 'List all resource types',
      app: APP,
      handler: () => ok(byTitle(RESOURCE_TYPES)),
    },
    {
      name: 'show_resource_type',
      method: 'GET',
      path: '/resource_types/:atom:name',
      descr: 'Show a resource type',
      app: APP,
      handler: ({ bindings }) => {
        const type = findResourceType(bindings.name!);
        return type ? ok(type) : notFound();
      },
    },
    {
      name: 'list_events',
      method: 'GET',
      path: '/rule_events/',
      descr: 'List all events with detailed info',
      app: APP,
      handler: () => ok(eventInfo(ctx.broker.nodeName, ctx.now())),
    },
  ];
}

/** Names `list_to_existing_atom/1` accepts in rule-engine paths. */
export const RULE_ENGINE_ATOMS: readonly string[] = [
  ...ACTIONS.map((a) => a.name),
  ...RESOURCE_TYPES.map((t) => t.name),
  'bridge_rpc',
];
