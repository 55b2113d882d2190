import type { V4Broker } from './broker-port.ts';
import type { PluginRegistry } from './state/plugins.ts';
import type { ResourceStore } from './state/resources.ts';

/** Everything a v4 route handler may use. */
export interface V4Context {
  readonly broker: V4Broker;
  readonly now: () => number;
  readonly plugins: PluginRegistry;
  /** Rule-engine resources (web hooks, MQTT bridges): v4-only state the core does not model. */
  readonly resources: ResourceStore;
}
