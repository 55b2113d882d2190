import type { MetricName } from './metrics.ts';
import type { CoreState } from './state.ts';
import type { GaugeName } from './stats.ts';
import type { ListenerInfo, NodeInfo } from './types.ts';

/** The node-level picture: status and uptime, listener, byte-accurate metrics. */
export interface NodeView {
  readonly maxima: Map<GaugeName, number>;
  started(): void;
  stopped(): void;
  info(): NodeInfo;
  listeners(port: number | null): ListenerInfo[];
  metrics(): Record<MetricName, number>;
}

const MAX_CONNECTIONS = 1_024_000;

export function createNodeView(state: CoreState, maxima: Map<GaugeName, number>, version: string): NodeView {
  let startedAt: number | null = null;
  const counts = () => {
    let live = 0;
    for (const record of state.sessions.values()) if (record.connection) live++;
    return { live, sessions: state.sessions.size };
  };
  return {
    maxima,
    started() {
      startedAt = state.now();
    },
    stopped() {
      startedAt = null;
    },
    info() {
      const { live, sessions } = counts();
      const now = state.now();
      return {
        name: state.nodeName,
        version,
        status: startedAt === null ? 'stopped' : 'running',
        startedAt: startedAt ?? now,
        uptimeMs: startedAt === null ? 0 : now - startedAt,
        connections: sessions,
        liveConnections: live,
        sessions,
      };
    },
    listeners(port) {
      return [
        {
          id: 'tcp:default',
          type: 'tcp',
          name: 'default',
          bind: `127.0.0.1:${port ?? 1883}`,
          running: port !== null,
          port,
          currentConnections: counts().live,
          maxConnections: MAX_CONNECTIONS,
        },
      ];
    },
    metrics() {
      const snapshot = state.metrics.snapshot();
      let read = state.closedBytes.read;
      let written = state.closedBytes.written;
      for (const record of state.sessions.values()) {
        if (!record.connection) continue;
        read += record.socket.bytesRead ?? 0;
        written += record.socket.bytesWritten ?? 0;
      }
      return { ...snapshot, 'bytes.received': read, 'bytes.sent': written };
    },
  };
}
