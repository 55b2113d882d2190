import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Metrics } from '../metrics.ts';
import type { Readiness } from './readiness.ts';

/**
 * The operational endpoints: `/healthz` (the process answers), `/readyz` (this replica can serve; 503 while
 * starting or draining, degradations in the body) and `/metrics` (Prometheus). Served on the public port, or
 * only on `server.managementPort` when one is set, so that the public port serves GraphQL alone.
 */
export type ProbeHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

export function createProbes(deps: { readiness: () => Readiness; metrics: Metrics }): ProbeHandler {
  return async (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      return true;
    }
    if (path === '/readyz') {
      const state = deps.readiness();
      res
        .writeHead(state.status === 'ready' ? 200 : 503, { 'content-type': 'application/json' })
        .end(JSON.stringify(state));
      return true;
    }
    if (path === '/metrics') {
      const body = await deps.metrics.registry.metrics();
      res.writeHead(200, { 'content-type': deps.metrics.registry.contentType }).end(body);
      return true;
    }
    return false;
  };
}

/** The management port's whole handler: the probes, and 404 for anything else. */
export const managementHandler =
  (probes: ProbeHandler) => async (req: IncomingMessage, res: ServerResponse) => {
    if (!(await probes(req, res))) res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  };
