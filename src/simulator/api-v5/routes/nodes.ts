import type { BrokerCore } from '../../broker/core.ts';
import { formatNode } from '../format/node.ts';
import { boolean } from '../http/query.ts';
import { notFound, ok } from '../http/reply.ts';
import type { Route, RouteCall } from '../http/router.ts';

/** `/nodes`, `/stats` and `/metrics`: one node per deployment, so the cluster views hold one entry. */
export function nodeRoutes(core: BrokerCore): Route[] {
  const ownNode = ({ params }: RouteCall) => {
    if (params.node !== core.nodeName) throw notFound('NOT_FOUND', `Node not found: ${params.node}`);
  };
  const perNode = (values: () => Record<string, number>) => (call: RouteCall) =>
    ok(boolean(call.query, 'aggregate') ? values() : [{ node: core.nodeName, ...values() }]);
  return [
    { path: '/nodes', methods: { GET: () => ok([formatNode(core.nodeInfo())]) } },
    {
      path: '/nodes/{node}',
      methods: {
        GET: (call) => {
          ownNode(call);
          return ok(formatNode(core.nodeInfo()));
        },
      },
    },
    { path: '/stats', methods: { GET: perNode(() => core.stats()) } },
    { path: '/metrics', methods: { GET: perNode(() => core.metrics()) } },
    {
      path: '/nodes/{node}/stats',
      methods: {
        GET: (call) => {
          ownNode(call);
          return ok(core.stats());
        },
      },
    },
    {
      path: '/nodes/{node}/metrics',
      methods: {
        GET: (call) => {
          ownNode(call);
          return ok(core.metrics());
        },
      },
    },
  ];
}
