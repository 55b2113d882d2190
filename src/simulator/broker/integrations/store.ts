import { deliver } from './deliver.ts';
import { tcpConnectivity } from './probe.ts';
import {
  type ActionMetrics,
  emptyActionMetrics,
  type Integration,
  integrationId,
  isEnabled,
} from './types.ts';

export type IntegrationKind = 'actions' | 'connectors';

const UNREACHABLE = 'The simulated deployment cannot reach the configured endpoint';

/**
 * Connectors and actions with their health and action metrics. A connector is `connected` when a TCP
 * connection to its endpoint opens (checked on every change and on every read, EMQX's health check); an
 * action follows its connector, and is `disconnected` while it or its connector is disabled.
 */
export interface IntegrationStore {
  list(kind: IntegrationKind): Integration[];
  get(kind: IntegrationKind, id: string): Integration | undefined;
  /** Stores (creates or replaces) one and runs its health check. */
  save(kind: IntegrationKind, entry: Omit<Integration, 'status' | 'statusReason'>): Promise<Integration>;
  remove(kind: IntegrationKind, id: string): boolean;
  /** Re-runs every health check (GET handlers call this first). */
  refresh(): Promise<void>;
  /** Whether a configuration's endpoint is reachable (`*_probe`). */
  probe(config: Record<string, unknown>): Promise<boolean>;
  /** The connector an action sends through. */
  connectorOf(action: Integration): Integration | undefined;
  metrics(actionId: string): ActionMetrics | undefined;
  resetMetrics(actionId: string): boolean;
  /**
   * A rule's reference to an action (`"http:my_action"`): false when the action does not exist or is
   * disabled (the rule counts it under `actions.failed.out_of_service`), else sent and true.
   */
  deliver(actionId: string, output: Record<string, unknown>): boolean;
}

export function createIntegrationStore(): IntegrationStore {
  const maps: Record<IntegrationKind, Map<string, Integration>> = {
    actions: new Map(),
    connectors: new Map(),
  };
  const metrics = new Map<string, ActionMetrics>();

  const connectorOf = (action: Integration) =>
    maps.connectors.get(`${action.type}:${String(action.config.connector)}`);

  async function check(kind: IntegrationKind, entry: Integration): Promise<void> {
    if (kind === 'connectors') {
      const alive = isEnabled(entry) && (await tcpConnectivity(entry.config));
      entry.status = alive ? 'connected' : 'disconnected';
      entry.statusReason = alive ? null : isEnabled(entry) ? UNREACHABLE : 'Not installed';
      return;
    }
    const connector = connectorOf(entry);
    const usable = isEnabled(entry) && connector !== undefined && isEnabled(connector);
    entry.status = usable ? connector.status : 'disconnected';
    entry.statusReason = usable ? connector.statusReason : 'Not installed';
  }

  async function refresh() {
    await Promise.all([...maps.connectors.values()].map((c) => check('connectors', c)));
    await Promise.all([...maps.actions.values()].map((a) => check('actions', a)));
  }

  return {
    list: (kind) => [...maps[kind].values()],
    get: (kind, id) => maps[kind].get(id),
    async save(kind, fields) {
      const entry: Integration = { ...fields, status: 'connecting', statusReason: null };
      const id = integrationId(entry);
      maps[kind].set(id, entry);
      if (kind === 'actions' && !metrics.has(id)) metrics.set(id, emptyActionMetrics());
      await refresh();
      return entry;
    },
    remove(kind, id) {
      if (kind === 'actions') metrics.delete(id);
      return maps[kind].delete(id);
    },
    refresh,
    probe: tcpConnectivity,
    connectorOf,
    metrics: (id) => metrics.get(id),
    resetMetrics(id) {
      if (!metrics.has(id)) return false;
      metrics.set(id, emptyActionMetrics());
      return true;
    },
    deliver(actionId, output) {
      const action = maps.actions.get(actionId);
      const counters = metrics.get(actionId);
      if (!action || !counters || !isEnabled(action)) return false;
      const connector = connectorOf(action);
      if (!connector || !isEnabled(connector)) {
        counters.matched++;
        counters.dropped++;
        counters['dropped.resource_stopped']++;
        return false;
      }
      void deliver(action, connector, output, counters);
      return true;
    },
  };
}
