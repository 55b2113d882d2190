import type { V4Context } from '../context.ts';
import { ok } from '../http/reply.ts';
import type { V4Route } from '../http/router.ts';
import { onNode } from './node-scope.ts';

const APP = 'emqx_management';

/** `emqx_mgmt_api_acl` (4.4): flush every client's ACL cache, cluster-wide or on one node. */
export function aclCacheRoutes(ctx: V4Context): V4Route[] {
  const cleanAll = () => {
    ctx.broker.cleanAllAclCaches();
    return ok();
  };
  return [
    {
      name: 'clean_acl_cache_all',
      method: 'DELETE',
      path: '/acl-cache',
      descr: 'Clean acl cache on all nodes',
      app: APP,
      handler: cleanAll,
    },
    {
      name: 'clean_acl_cache_node',
      method: 'DELETE',
      path: 'nodes/:atom:node/acl-cache',
      descr: 'Clean acl cache on specific node',
      app: APP,
      handler: (call) => onNode(ctx, call.bindings.node, cleanAll),
    },
  ];
}
