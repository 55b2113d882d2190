import type { BrokerCore } from '../../broker/core.ts';
import type { ListenerInfo } from '../../broker/types.ts';
import { oneOf } from '../http/query.ts';
import { ok } from '../http/reply.ts';
import type { Route } from '../http/router.ts';

const LISTENER_TYPES = ['tcp', 'ssl', 'ws', 'wss', 'quic'] as const;

/** EMQX's default TCP listener runs 16 acceptors. */
const ACCEPTORS = 16;

/**
 * One entry of `listener_status_by_id`: the listener with its status summed over the nodes running it and
 * each node's own status (one node per simulated deployment, so `number` is 1).
 */
function formatListener(listener: ListenerInfo, node: string): Record<string, unknown> {
  const status = {
    running: listener.running,
    max_connections: listener.maxConnections,
    current_connections: listener.currentConnections,
  };
  return {
    id: listener.id,
    type: listener.type,
    name: listener.name,
    enable: true,
    number: 1,
    bind: listener.bind,
    acceptors: ACCEPTORS,
    status,
    node_status: [{ node, status }],
  };
}

/** `GET /listeners[?type=]` (`emqx_mgmt_api_listeners:list_listeners/2`): a bare array, one entry per id. */
export function listenerRoutes(core: BrokerCore): Route[] {
  return [
    {
      path: '/listeners',
      methods: {
        GET: ({ query }) => {
          const type = oneOf(query, 'type', LISTENER_TYPES);
          const listeners = core.listeners().filter((l) => type === undefined || l.type === type);
          return ok(listeners.map((l) => formatListener(l, core.nodeName)));
        },
      },
    },
  ];
}
