import { freemem, loadavg, totalmem } from 'node:os';
import type { V4Context } from '../context.ts';
import { kmg, loadText, strftime, uptimeText } from '../format/units.ts';
import { fail, ok } from '../http/reply.ts';
import type { V4Route } from '../http/router.ts';
import { onNode } from './node-scope.ts';

/** `emqx_vm:get_otp_version() ++ "/" ++ erts version` of the OTP that EMQX 4.4.19 ships with. */
const OTP_RELEASE = '24.3.4.2-2/12.3.2.2';
/** Erlang's default `process_limit` on EMQX 4.4 (`node.process_limit`). */
const PROCESS_LIMIT = 2_097_152;
/** Processes an idle EMQX 4.4 node runs; each connection adds its channel process. */
const BASE_PROCESSES = 480;
const MAX_FDS = 1_048_576;
/** `?ERROR2`, what `GET /brokers/{node}` answers when the RPC fails. */
const UNKNOWN_ERROR = 102;

/** `emqx_mgmt:broker_info/1` (`emqx_sys:info/0` plus node, OTP release and status). */
function brokerInfo(ctx: V4Context) {
  const node = ctx.broker.node();
  return {
    datetime: strftime(ctx.now()),
    node: node.name,
    node_status: 'Running',
    otp_release: OTP_RELEASE,
    sysdescr: 'EMQX Broker',
    uptime: uptimeText(node.uptimeMs / 1000),
    version: node.version,
  };
}

/**
 * `emqx_mgmt:node_info/1` formatted by `emqx_mgmt_api_nodes:format/2`: loads are strings with two
 * decimals and memory is "kmg" text (the host's real load and memory).
 */
function nodeInfo(ctx: V4Context) {
  const node = ctx.broker.node();
  const [load1 = 0, load5 = 0, load15 = 0] = loadavg();
  const total = totalmem();
  return {
    node: node.name,
    connections: node.connections,
    live_connections: node.liveConnections,
    load1: loadText(load1),
    load5: loadText(load5),
    load15: loadText(load15),
    max_fds: MAX_FDS,
    memory_total: kmg(total),
    memory_used: kmg(total - freemem()),
    node_status: 'Running',
    otp_release: OTP_RELEASE,
    process_available: PROCESS_LIMIT,
    process_used: BASE_PROCESSES + node.connections,
    uptime: uptimeText(node.uptimeMs / 1000),
    version: node.version,
  };
}

const APP = 'emqx_management';

/** `emqx_mgmt_api_brokers` and `emqx_mgmt_api_nodes` (4.4). */
export function brokerNodeRoutes(ctx: V4Context): V4Route[] {
  return [
    {
      name: 'list_brokers',
      method: 'GET',
      path: '/brokers/',
      descr: 'A list of brokers in the cluster',
      app: APP,
      handler: () => ok([brokerInfo(ctx)]),
    },
    {
      name: 'get_broker',
      method: 'GET',
      path: '/brokers/:atom:node',
      descr: 'Get broker info of a node',
      app: APP,
      handler: ({ bindings }) =>
        onNode(
          ctx,
          bindings.node,
          () => ok(brokerInfo(ctx)),
          () => fail(UNKNOWN_ERROR, 'nodedown'),
        ),
    },
    {
      name: 'list_nodes',
      method: 'GET',
      path: '/nodes/',
      descr: 'A list of nodes in the cluster',
      app: APP,
      handler: () => ok([nodeInfo(ctx)]),
    },
    {
      name: 'get_node',
      method: 'GET',
      path: '/nodes/:atom:node',
      descr: 'Lookup a node in the cluster',
      app: APP,
      handler: ({ bindings }) =>
        onNode(
          ctx,
          bindings.node,
          () => ok(nodeInfo(ctx)),
          () => ok({ node: bindings.node, error: 'nodedown' }),
        ),
    },
  ];
}
