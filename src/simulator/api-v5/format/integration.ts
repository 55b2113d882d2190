import type { ActionMetrics, Integration } from '../../broker/integrations/types.ts';
import { redact } from './redact.ts';

/** `format_bridge_status_and_error`: `status_reason` only when there is one. */
function statusOf(entry: Integration, node: string) {
  const reason = entry.statusReason === null ? {} : { status_reason: entry.statusReason };
  return {
    status: entry.status,
    ...reason,
    node_status: [{ node, status: entry.status, ...reason }],
  };
}

/**
 * A connector or action as `GET /connectors|/actions` shows it: the stored configuration with the schema's
 * common defaults, its type and name, the health of every node and (actions) the ids of the rules that
 * reference it; secrets redacted as `emqx_utils:redact/1` does.
 */
export function formatIntegration(
  entry: Integration,
  node: string,
  rules?: string[],
): Record<string, unknown> {
  return redact({
    enable: true,
    description: '',
    ...entry.config,
    type: entry.type,
    name: entry.name,
    ...statusOf(entry, node),
    ...(rules === undefined ? {} : { rules: [...rules].sort() }),
  }) as Record<string, unknown>;
}

/** `GET /actions/{id}/metrics`; rates are 0 (the simulator keeps no rate windows). */
export function formatActionMetrics(metrics: ActionMetrics, node: string) {
  const values = { ...metrics, rate: 0, rate_max: 0, rate_last5m: 0 };
  return { metrics: values, node_metrics: [{ node, metrics: values }] };
}
