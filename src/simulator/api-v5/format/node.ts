import { freemem, loadavg, totalmem } from 'node:os';
import type { NodeInfo } from '../../broker/types.ts';

/** EMQX prints memory as `"512.00M"`. */
function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(2)}M`;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** `emqx_mgmt_api_nodes` node_info, with this host's real load and memory figures. */
export function formatNode(info: NodeInfo): Record<string, unknown> {
  const [load1 = 0, load5 = 0, load15 = 0] = loadavg();
  return {
    node: info.name,
    node_status: info.status,
    version: info.version,
    edition: 'Enterprise',
    role: 'core',
    uptime: info.uptimeMs,
    connections: info.connections,
    live_connections: info.liveConnections,
    cluster_sessions: info.sessions,
    load1: round2(load1),
    load5: round2(load5),
    load15: round2(load15),
    max_fds: 1048576,
    memory_total: megabytes(totalmem()),
    memory_used: megabytes(totalmem() - freemem()),
    process_available: 2097152,
    process_used: 600 + info.liveConnections * 2,
    otp_release: '26.2.5-3/14.2.5',
    sys_path: '/opt/emqx',
    log_path: '/opt/emqx/log',
  };
}
