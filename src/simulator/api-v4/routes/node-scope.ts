import type { SimResponse } from '../../types.ts';
import type { V4Context } from '../context.ts';
import { fail } from '../http/reply.ts';

/** EMQX's `?ERROR1`: an RPC to another node failed. */
export const RPC_ERROR = 101;

/**
 * Runs a `nodes/:atom:node/...` handler. The router already refused names that are not atoms; a name that is
 * an atom but not a cluster member (say, a plugin name) makes EMQX's `rpc:call` fail with `nodedown`.
 */
export function onNode(
  ctx: V4Context,
  node: string | undefined,
  handle: () => SimResponse | Promise<SimResponse>,
  nodeDown: () => SimResponse = () => fail(RPC_ERROR, 'nodedown'),
): SimResponse | Promise<SimResponse> {
  return node === ctx.broker.nodeName ? handle() : nodeDown();
}
