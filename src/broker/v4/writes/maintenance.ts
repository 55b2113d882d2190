import { NotFoundError, NotSupportedError, UpstreamError } from '../../../errors.ts';
import type { BrokerTransport } from '../../api.ts';
import type { BrokerMaintenanceApi } from '../../write-api.ts';
import { clientNotFound, whenUpstreamCode, writePath } from '../../write-support.ts';

/**
 * v4 ACL cache and plugin writes (emqx-api.md §3.2, §3.5). Plugin failures carry only a `message`
 * (`already_started`, `not_started`, `not_found`); a node or plugin name that is not an Erlang atom is a
 * plain-text 404, and a name that is an atom but no cluster member fails the RPC (code 101).
 */

const CLIENT_OFFLINE = '112';
const RPC_ERROR = '101';
const v5Only = (what: string) => async (): Promise<never> => {
  throw new NotSupportedError(what, 'v4');
};

/** Node names and rule ids go unencoded: minirest 0.3 matches `:atom:` bindings without decoding them. */
const pluginPath = (node: string, plugin: string, op: 'load' | 'unload' | 'reload') =>
  writePath(`/nodes/{node}/plugins/{plugin}/${op}`, { node, plugin }, { keepColon: true });

const pluginNotFound = (node: string, plugin: string) =>
  new NotFoundError(`No plugin ${plugin} on node ${node} of this deployment`);

export function v4MaintenanceWrites(t: BrokerTransport): BrokerMaintenanceApi {
  async function clearAuthorizationCache(clientId: string | null) {
    if (clientId === null) {
      await t.send({ domain: 'authzCache', method: 'DELETE', path: writePath('/acl-cache') });
      return;
    }
    const path = writePath('/clients/{clientid}/acl_cache', { clientid: clientId });
    await t
      .send({ domain: 'authzCache', method: 'DELETE', path })
      .catch((error) => whenUpstreamCode(error, [CLIENT_OFFLINE], () => clientNotFound(clientId)));
  }

  async function pluginOp(node: string, plugin: string, op: 'load' | 'unload' | 'reload') {
    const reply = await t
      .send({ domain: 'plugins', method: 'PUT', path: pluginPath(node, plugin, op), accept: [404] })
      .catch((error) =>
        whenUpstreamCode(error, [RPC_ERROR, 'not_found'], () => pluginNotFound(node, plugin)),
      );
    if (reply.status === 404) throw pluginNotFound(node, plugin);
  }

  async function setPluginEnabled(node: string, plugin: string, enabled: boolean) {
    try {
      await pluginOp(node, plugin, enabled ? 'load' : 'unload');
      return { changed: true };
    } catch (error) {
      const already = enabled ? 'already_started' : 'not_started';
      if (error instanceof UpstreamError && error.upstreamCode === already) return { changed: false };
      throw error;
    }
  }

  return {
    clearAuthorizationCache,
    clearRetainedMessages: v5Only('The retained message API'),
    setPluginEnabled,
    reloadPlugin: (node, plugin) => pluginOp(node, plugin, 'reload'),
    testRule: v5Only('Testing a stored rule (POST /rules/{id}/test)'),
    clearAuthzRules: v5Only('Built-in authorization rules'),
  };
}
