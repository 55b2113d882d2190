import { randomBytes } from 'node:crypto';
import { tcpConnectivity } from '../../broker/integrations/probe.ts';

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
