import type { V4Context } from '../context.ts';
import { failMessage, ok } from '../http/reply.ts';
import type { V4Route } from '../http/router.ts';
import type { PluginResult, PluginState } from '../state/plugins.ts';
import { onNode } from './node-scope.ts';

const format = (plugin: PluginState) => ({
  name: plugin.name,
  description: plugin.description,
  active: plugin.active,
  type: plugin.type,
});

/** `minirest:return(ok | {error, Reason})`: failures carry only a `message`. */
const reply = (result: PluginResult) => (result === 'ok' ? ok() : failMessage(result));

const APP = 'emqx_management';

/** `emqx_mgmt_api_plugins` (4.4). There is no cluster-wide `load`. */
export function pluginRoutes(ctx: V4Context): V4Route[] {
  const { plugins } = ctx;
  const onPlugin = (node: string | undefined, run: () => PluginResult) =>
    onNode(ctx, node, () => reply(run()));
  return [
    {
      name: 'list_all_plugins',
      method: 'GET',
      path: '/plugins/',
      descr: 'List all plugins in the cluster',
      app: APP,
      handler: () => ok([{ node: ctx.broker.nodeName, plugins: plugins.list().map(format) }]),
    },
    {
      name: 'list_node_plugins',
      method: 'GET',
      path: '/nodes/:atom:node/plugins/',
      descr: 'List all plugins on a node',
      app: APP,
      handler: ({ bindings }) => onNode(ctx, bindings.node, () => ok(plugins.list().map(format))),
    },
    {
      name: 'load_node_plugin',
      method: 'PUT',
      path: '/nodes/:atom:node/plugins/:atom:plugin/load',
      descr: 'Load a plugin',
      app: APP,
      handler: ({ bindings }) => onPlugin(bindings.node, () => plugins.load(bindings.plugin!)),
    },
    {
      name: 'unload_node_plugin',
      method: 'PUT',
      path: '/nodes/:atom:node/plugins/:atom:plugin/unload',
      descr: 'Unload a plugin',
      app: APP,
      handler: ({ bindings }) => onPlugin(bindings.node, () => plugins.unload(bindings.plugin!)),
    },
    {
      name: 'reload_node_plugin',
      method: 'PUT',
      path: '/nodes/:atom:node/plugins/:atom:plugin/reload',
      descr: 'Reload a plugin',
      app: APP,
      handler: ({ bindings }) => onPlugin(bindings.node, () => plugins.reload(bindings.plugin!)),
    },
    {
      name: 'unload_plugin',
      method: 'PUT',
      path: '/plugins/:atom:plugin/unload',
      descr: 'Unload a plugin in the cluster',
      app: APP,
      handler: ({ bindings }) => reply(plugins.unload(bindings.plugin!)),
    },
    {
      name: 'reload_plugin',
      method: 'PUT',
      path: '/plugins/:atom:plugin/reload',
      descr: 'Reload a plugin in the cluster',
      app: APP,
      handler: ({ bindings }) => reply(plugins.reload(bindings.plugin!)),
    },
  ];
}
