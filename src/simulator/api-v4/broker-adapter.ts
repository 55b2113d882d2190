import type { BrokerCore } from '../broker/core.ts';
import type { V4Broker } from './broker-port.ts';

/** `V4Broker` on the shared `BrokerCore`: the only file of the v4 API that knows the core's methods. */
export function createBrokerPort(core: BrokerCore): V4Broker {
  return {
    nodeName: core.nodeName,
    node() {
      const info = core.nodeInfo();
      return {
        name: info.name,
        version: info.version,
        startedAt: info.startedAt,
        uptimeMs: info.uptimeMs,
        connections: info.connections,
        liveConnections: info.liveConnections,
      };
    },
    clients: () => core.listClients(),
    kick: (clientId) => core.kick(clientId),
    aclCache(clientId) {
      const cache = core.authzCache(clientId);
      return cache === undefined ? null : cache.map((e) => ({ ...e }));
    },
    cleanAclCache: (clientId) => core.clearAuthzCache(clientId),
    cleanAllAclCaches() {
      core.clearAuthzCache();
    },
    subscriptions: () => core.listSubscriptions(),
    async subscribe(clientId, topic, qos) {
      const results = await core.subscribe(clientId, [{ topic, qos }]);
      return results !== undefined;
    },
    unsubscribe: (clientId, topic) => core.unsubscribe(clientId, [topic]),
    async publish(message) {
      const outcome = await core.publish({
        topic: message.topic,
        payload: message.payload,
        qos: message.qos,
        retain: message.retain,
      });
      if (outcome.status === 'invalid_topic') throw new Error(`invalid topic ${message.topic}`);
      return outcome.id;
    },
    bans: () => core.bans.list(),
    putBan(ban) {
      core.bans.delete(ban.as, ban.who);
      core.bans.add(ban);
    },
    deleteBan(as, who) {
      core.bans.delete(as, who);
    },
    rules: core.rules,
    alarms: core.alarms,
    metrics: () => core.metrics(),
    stats: () => core.stats(),
    listeners: () => core.listeners(),
    // The core cannot restart its listener in place; a known listener "restarts" as a no-op.
    restartListener: async (id) => core.listeners().some((listener) => listener.id === id),
  };
}
