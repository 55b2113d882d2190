import { renderTemplate } from '../rules/template.ts';
import type { ActionMetrics, Integration } from './types.ts';

const REQUEST_TIMEOUT_MS = 5000;

/** `${.}` is the whole rule output as JSON and `${.a.b}` is `${a.b}` (EMQX 5 templates). */
function render(template: string, output: Record<string, unknown>): string {
  return renderTemplate(
    template.replace(/\$\{\s*\.\s*\}/g, () => JSON.stringify(output)).replace(/\$\{\s*\./g, '${'),
    output,
  );
}

const stringRecord = (value: unknown): Record<string, string> =>
  typeof value === 'object' && value !== null
    ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]))
    : {};

/** The request an `http` action makes for one rule output: connector URL + action path, merged headers. */
export function httpRequestOf(action: Integration, connector: Integration, output: Record<string, unknown>) {
  const parameters = (action.config.parameters ?? {}) as Record<string, unknown>;
  const base = String(connector.config.url ?? '').replace(/\/$/, '');
  const path = typeof parameters.path === 'string' ? render(parameters.path, output) : '';
  const body =
    typeof parameters.body === 'string' && parameters.body !== ''
      ? render(parameters.body, output)
      : JSON.stringify(output);
  return {
    url: path === '' ? base : `${base}/${path.replace(/^\//, '')}`,
    method: String(parameters.method ?? 'post').toUpperCase(),
    headers: { ...stringRecord(connector.config.headers), ...stringRecord(parameters.headers) },
    body,
  };
}

/**
 * Sends one rule output through an action, asynchronously as EMQX's buffer workers do: `matched` and
 * `inflight` at once, then `success` on a 2xx answer or `failed` on anything else. Only `http` actions reach
 * their target; the simulator speaks no other protocol, so those fail.
 */
export function deliver(
  action: Integration,
  connector: Integration,
  output: Record<string, unknown>,
  metrics: ActionMetrics,
): Promise<void> {
  metrics.matched++;
  metrics.inflight++;
  const finish = (ok: boolean) => {
    metrics.inflight--;
    metrics[ok ? 'success' : 'failed']++;
  };
  if (action.type !== 'http') {
    finish(false);
    return Promise.resolve();
  }
  const request = httpRequestOf(action, connector, output);
  const hasBody = request.method !== 'GET' && request.method !== 'DELETE';
  return fetch(request.url, {
    method: request.method,
    headers: request.headers,
    body: hasBody ? request.body : undefined,
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  })
    .then(async (res) => {
      await res.arrayBuffer();
      finish(res.ok);
    })
    .catch(() => finish(false));
}
