import type { ListenerInfo } from '../../broker/types.ts';
import type { V4Context } from '../context.ts';
import { failMessage, jsonReply, ok } from '../http/reply.ts';
import type { V4Route } from '../http/router.ts';
import { uriDecode } from '../http/url.ts';
import { onNode } from './node-scope.ts';

/** EMQX 4.4 names its default TCP listener `mqtt:tcp:external` (zone `external`). */
const v4Identifier = (listener: ListenerInfo) => `mqtt:${listener.type}:external`;

function formatMqtt(listener: ListenerInfo): Record<string, unknown> {
  return {
    protocol: `mqtt:${listener.type}`,
    listen_on: listener.bind,
    identifier: v4Identifier(listener),
    acceptors: 8,
    max_conns: listener.maxConnections,
    current_conns: listener.currentConnections,
    shutdown_count: [],
  };
}

/**
 * The ranch (HTTP) listeners EMQX adds to the list; they have no identifier. Only the management API is
 * simulated, so it is the one shown.
 */
const HTTP_LISTENERS = [
  {
    protocol: 'http:management',
    listen_on: '8081',
    acceptors: 4,
    max_conns: 512,
    current_conns: 1,
    shutdown_count: [],
  },
];

const listenersOf = (ctx: V4Context) => [...ctx.broker.listeners().map(formatMqtt), ...HTTP_LISTENERS];

/** Maps a v4 identifier back to the core listener it names. */
const coreIdOf = (ctx: V4Context, identifier: string) =>
  ctx.broker.listeners().find((l) => v4Identifier(l) === identifier)?.id;

async function restart(ctx: V4Context, identifier: string): Promise<boolean> {
  const id = coreIdOf(ctx, identifier);
  return id !== undefined && (await ctx.broker.restartListener(id));
}

const APP = 'emqx_management';

/** `emqx_mgmt_api_listeners` (4.4). */
export function listenerRoutes(ctx: V4Context): V4Route[] {
  const node = () => ctx.broker.nodeName;
  return [
    {
      name: 'list_listeners',
      method: 'GET',
      path: '/listeners/',
      descr: 'A list of listeners in the cluster',
      app: APP,
      handler: () => ok([{ node: node(), listeners: listenersOf(ctx) }]),
    },
    {
      name: 'list_node_listeners',
      method: 'GET',
      path: '/nodes/:atom:node/listeners',
      descr: 'A list of listeners on the node',
      app: APP,
      handler: ({ bindings }) => onNode(ctx, bindings.node, () => ok(listenersOf(ctx))),
    },
    {
      name: 'restart_listener',
      method: 'PUT',
      path: '/listeners/:bin:identifier/restart',
      descr: 'Restart a listener in the cluster',
      app: APP,
      handler: async ({ bindings }) => {
        const identifier = bindings.identifier!;
        if (identifier.startsWith('http')) return jsonReply(403, 'http_listener_restart_unsupported');
        if (await restart(ctx, uriDecode(identifier))) return ok();
        return failMessage(`{restart,[{'${node()}',{error,not_found}}]}`);
      },
    },
    {
      name: 'restart_node_listener',
      method: 'PUT',
      path: '/nodes/:atom:node/listeners/:bin:identifier/restart',
      descr: 'Restart a listener on a node',
      app: APP,
      handler: ({ bindings }) =>
        onNode(ctx, bindings.node, async () =>
          (await restart(ctx, uriDecode(bindings.identifier!)))
            ? ok('Listener restarted.')
            : failMessage('not_found'),
        ),
    },
  ];
}
