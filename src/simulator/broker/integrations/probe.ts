import { connect } from 'node:net';

const PROBE_TIMEOUT_MS = 1000;

/**
 * Host and port a data-integration configuration points at: a `url` (web hooks, HTTP connectors), a
 * `server` / `address` ("host:port": databases, MQTT bridges) or the first of `servers` / `bootstrap_hosts`.
 */
export function endpointOf(config: Record<string, unknown>): { host: string; port: number } | null {
  try {
    if (typeof config.url === 'string') {
      const url = new URL(config.url);
      return { host: url.hostname, port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)) };
    }
  } catch {
    return null;
  }
  const hostPort = [config.server, config.address, config.servers, config.bootstrap_hosts].find(
    (v): v is string => typeof v === 'string',
  );
  if (!hostPort) return null;
  const first = hostPort.split(',')[0]?.trim() ?? '';
  const at = first.lastIndexOf(':');
  if (at <= 0) return null;
  return { host: first.slice(0, at), port: Number(first.slice(at + 1)) };
}

/**
 * Whether a TCP connection to the configured endpoint opens (`emqx_rule_utils:tcp_connectivity/2` in v4,
 * the connectors' health checks in v5). The simulator speaks no database protocol, so reachable is all it
 * can know.
 */
export function tcpConnectivity(config: Record<string, unknown>): Promise<boolean> {
  const endpoint = endpointOf(config);
  if (!endpoint || !Number.isInteger(endpoint.port) || endpoint.port <= 0) return Promise.resolve(false);
  return new Promise((resolve) => {
    const socket = connect({ host: endpoint.host, port: endpoint.port, timeout: PROBE_TIMEOUT_MS });
    const done = (alive: boolean) => {
      socket.destroy();
      resolve(alive);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}
