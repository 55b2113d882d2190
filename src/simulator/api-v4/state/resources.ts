import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';

export interface Resource {
  id: string;
  type: string;
  config: Record<string, unknown>;
  description: string;
  /** Result of the last connectivity check (EMQX caches it; `fetch => false` reads the cache). */
  alive: boolean;
}

/** Rule-engine resources; each is checked by opening a TCP connection to the host it points at. */
export interface ResourceStore {
  list(): Resource[];
  get(id: string): Resource | undefined;
  add(resource: Omit<Resource, 'id' | 'alive'> & { id?: string }): Promise<Resource>;
  update(id: string, changes: { description?: unknown; config?: Record<string, unknown> }): Promise<boolean>;
  /** Re-runs the connectivity check (`POST /resources/{id}`); false when there is no such resource. */
  restart(id: string): Promise<boolean>;
  delete(id: string): boolean;
  /** The connectivity check alone (`"test": true`). */
  probe(config: Record<string, unknown>): Promise<boolean>;
}

const PROBE_TIMEOUT_MS = 1000;

/** Host and port of a web hook `url` or a bridge `address` ("host:port"). */
function endpointOf(config: Record<string, unknown>): { host: string; port: number } | null {
  try {
    if (typeof config.url === 'string') {
      const url = new URL(config.url);
      return { host: url.hostname, port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)) };
    }
    if (typeof config.address === 'string') {
      const [host = '', port = ''] = config.address.split(':');
      return { host, port: Number(port) };
    }
  } catch {
    return null;
  }
  return null;
}

/** `emqx_rule_utils:tcp_connectivity/2`. */
function tcpConnectivity(config: Record<string, unknown>): Promise<boolean> {
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

export function createResourceStore(): ResourceStore {
  const resources = new Map<string, Resource>();
  return {
    list: () => [...resources.values()],
    get: (id) => resources.get(id),
    async add(input) {
      const id = input.id ?? `resource:${randomBytes(4).toString('hex')}`;
      const resource = { ...input, id, alive: await tcpConnectivity(input.config) };
      resources.set(id, resource);
      return resource;
    },
    async update(id, changes) {
      const resource = resources.get(id);
      if (!resource) return false;
      if (changes.description !== undefined) resource.description = String(changes.description);
      if (changes.config !== undefined) {
        resource.config = changes.config;
        resource.alive = await tcpConnectivity(resource.config);
      }
      return true;
    },
    async restart(id) {
      const resource = resources.get(id);
      if (!resource) return false;
      resource.alive = await tcpConnectivity(resource.config);
      return true;
    },
    delete: (id) => resources.delete(id),
    probe: tcpConnectivity,
  };
}
