/** Data integration (EMQX 5 Enterprise): connectors to external systems and the actions that use them. */

export type IntegrationStatus = 'connected' | 'connecting' | 'disconnected';

export interface Integration {
  type: string;
  name: string;
  /** The configuration as it was sent (secrets included; the API layer redacts), without type and name. */
  config: Record<string, unknown>;
  status: IntegrationStatus;
  /** Why the last health check failed; null while connected. */
  statusReason: string | null;
}

/** `emqx_bridge_schema:metrics_fields/0` as the 5.8 API reports them (emqx-api.md §4.10). */
export const ACTION_METRIC_NAMES = [
  'matched',
  'success',
  'failed',
  'dropped',
  'dropped.other',
  'dropped.queue_full',
  'dropped.resource_not_found',
  'dropped.resource_stopped',
  'queuing',
  'retried',
  'inflight',
  'received',
] as const;

export type ActionMetricName = (typeof ACTION_METRIC_NAMES)[number];
export type ActionMetrics = Record<ActionMetricName, number>;

export const emptyActionMetrics = (): ActionMetrics =>
  Object.fromEntries(ACTION_METRIC_NAMES.map((name) => [name, 0])) as ActionMetrics;

/** `"<type>:<name>"`, the id both APIs use in paths and rules reference actions by. */
export const integrationId = (i: { type: string; name: string }): string => `${i.type}:${i.name}`;

export const isEnabled = (i: Integration): boolean => i.config.enable !== false;
