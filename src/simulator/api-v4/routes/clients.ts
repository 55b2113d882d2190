import type { MqttClientInfo } from '../../broker/types.ts';
import type { V4Context } from '../context.ts';
import { formatClient } from '../format/client.ts';
import { fail, ok, okPage } from '../http/reply.ts';
import type { V4Call, V4Route } from '../http/router.ts';
import { uriDecode } from '../http/url.ts';
import { clientMatches, compileClientQs } from '../query/client-filter.ts';
import { queryPage } from '../query/paging.ts';
import { BadValueType } from '../query/qs.ts';
import { onNode } from './node-scope.ts';

/** `?ERROR8`: parameter type error; `?ERROR12`: client not online. */
const PARAM_TYPE_ERROR = 108;
const CLIENT_OFFLINE = 112;

/** `list/2` behind `fence/1`: a wrongly typed filter is code 108, other crashes stay HTTP 500. */
function listClients(ctx: V4Context, call: V4Call) {
  try {
    const qs = compileClientQs(call.params);
    const all = ctx.broker.clients();
    const rows = qs.filterCount === 0 ? all : all.filter((client) => clientMatches(client, qs));
    const page = queryPage(call.params, rows, { filtered: qs.filterCount > 0, tableSize: all.length });
    return okPage({ data: page.data.map(formatClient), meta: page.meta });
  } catch (error) {
    if (error instanceof BadValueType) return fail(PARAM_TYPE_ERROR, error.message);
    throw error;
  }
}

const lookup = (ctx: V4Context, test: (client: MqttClientInfo) => boolean) =>
  ok(ctx.broker.clients().filter(test).map(formatClient));

const byClientId = (call: V4Call) => {
  const clientId = uriDecode(call.bindings.clientid!);
  return (client: MqttClientInfo) => client.clientId === clientId;
};

const byUsername = (call: V4Call) => {
  const username = uriDecode(call.bindings.username!);
  return (client: MqttClientInfo) => client.username === username;
};

async function kick(ctx: V4Context, call: V4Call) {
  return (await ctx.broker.kick(uriDecode(call.bindings.clientid!)))
    ? ok()
    : fail(CLIENT_OFFLINE, 'not_found');
}

function listAclCache(ctx: V4Context, call: V4Call) {
  const cache = ctx.broker.aclCache(uriDecode(call.bindings.clientid!));
  if (cache === null) return fail(CLIENT_OFFLINE, 'not_found');
  const data = cache.map((e) => ({
    access: e.access,
    topic: e.topic,
    result: e.result,
    updated_time: e.updatedTime,
  }));
  return ok(data);
}

function cleanAclCache(ctx: V4Context, call: V4Call) {
  return ctx.broker.cleanAclCache(uriDecode(call.bindings.clientid!))
    ? ok()
    : fail(CLIENT_OFFLINE, 'not_found');
}

const APP = 'emqx_management';

/** `emqx_mgmt_api_clients` (4.4), in declaration order. */
export function clientRoutes(ctx: V4Context): V4Route[] {
  const node = (call: V4Call, handle: () => ReturnType<V4Route['handler']>) =>
    onNode(ctx, call.bindings.node, handle);
  return [
    {
      name: 'list_clients',
      method: 'GET',
      path: '/clients/',
      descr: 'A list of clients on current node',
      app: APP,
      handler: (call) => listClients(ctx, call),
    },
    {
      name: 'list_node_clients',
      method: 'GET',
      path: 'nodes/:atom:node/clients/',
      descr: 'A list of clients on specified node',
      app: APP,
      handler: (call) => node(call, () => listClients(ctx, call)),
    },
    {
      name: 'lookup_client',
      method: 'GET',
      path: '/clients/:bin:clientid',
      descr: 'Lookup a client in the cluster',
      app: APP,
      handler: (call) => lookup(ctx, byClientId(call)),
    },
    {
      name: 'lookup_node_client',
      method: 'GET',
      path: 'nodes/:atom:node/clients/:bin:clientid',
      descr: 'Lookup a client on the node',
      app: APP,
      handler: (call) => node(call, () => lookup(ctx, byClientId(call))),
    },
    {
      name: 'lookup_client_via_username',
      method: 'GET',
      path: '/clients/username/:bin:username',
      descr: 'Lookup a client via username in the cluster',
      app: APP,
      handler: (call) => lookup(ctx, byUsername(call)),
    },
    {
      name: 'lookup_node_client_via_username',
      method: 'GET',
      path: '/nodes/:atom:node/clients/username/:bin:username',
      descr: 'Lookup a client via username on the node ',
      app: APP,
      handler: (call) => node(call, () => lookup(ctx, byUsername(call))),
    },
    {
      name: 'kickout_client',
      method: 'DELETE',
      path: '/clients/:bin:clientid',
      descr: 'Kick out the client in the cluster',
      app: APP,
      handler: (call) => kick(ctx, call),
    },
    {
      name: 'clean_acl_cache',
      method: 'DELETE',
      path: '/clients/:bin:clientid/acl_cache',
      descr: 'Clear the ACL cache of a specified client in the cluster',
      app: APP,
      handler: (call) => cleanAclCache(ctx, call),
    },
    {
      name: 'list_acl_cache',
      method: 'GET',
      path: '/clients/:bin:clientid/acl_cache',
      descr: 'List the ACL cache of a specified client in the cluster',
      app: APP,
      handler: (call) => listAclCache(ctx, call),
    },
  ];
}
