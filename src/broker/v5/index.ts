import type { BrokerApi, BrokerTransport } from '../api.ts';
import { notSupported } from '../wire.ts';
import { v5Bans } from './bans.ts';
import { v5Clients } from './clients.ts';
import { v5Cluster } from './cluster.ts';
import { v5Extras } from './extras.ts';
import { v5Inspection } from './inspection.ts';
import { v5IntegrationReads } from './integrations.ts';
import { v5Retained } from './retained.ts';
import { v5Rules } from './rules.ts';
import { v5Subscriptions } from './subscriptions.ts';
import { v5Writes } from './writes/index.ts';
import { v5IntegrationWrites } from './writes/integrations.ts';
import { v5MaintenanceWrites } from './writes/maintenance.ts';
import { v5SchemaRegistryWrites } from './writes/schema-registry.ts';

/** The EMQX v5 adapter (`/api/v5`): one translation module per domain, composed here. */
export function createV5Broker(deploymentId: string, transport: BrokerTransport): BrokerApi {
  return {
    deploymentId,
    version: 'v5',
    ...v5Clients(transport),
    ...v5Subscriptions(transport),
    ...v5Retained(transport),
    ...v5Rules(transport),
    ...v5Bans(transport),
    ...v5Cluster(transport),
    ...v5Extras(transport),
    ...v5Inspection(transport),
    ...v5Writes(transport),
    ...v5IntegrationReads(transport),
    ...v5IntegrationWrites(transport),
    ...v5SchemaRegistryWrites(transport),
    createResource: notSupported('The v4 rule-engine resources API', 'v5'),
    deleteResource: notSupported('The v4 rule-engine resources API', 'v5'),
    ...v5MaintenanceWrites(transport),
  };
}
