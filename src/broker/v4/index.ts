import type { BrokerApi, BrokerTransport } from '../api.ts';
import { v4Bans } from './bans.ts';
import { v4Clients } from './clients.ts';
import { v4Cluster } from './cluster.ts';
import { v4Extras } from './extras.ts';
import { v4Inspection } from './inspection.ts';
import { v4Integrations } from './integrations.ts';
import type { V4Options } from './options.ts';
import { v4Rules } from './rules.ts';
import { v4Subscriptions } from './subscriptions.ts';
import { v4Writes } from './writes/index.ts';
import { v4MaintenanceWrites } from './writes/maintenance.ts';

/** The EMQX v4 adapter (`/api/v4`): one translation module per domain, composed here. */
export function createV4Broker(
  deploymentId: string,
  transport: BrokerTransport,
  options: V4Options = {},
): BrokerApi {
  return {
    deploymentId,
    version: 'v4',
    ...v4Clients(transport),
    ...v4Subscriptions(transport),
    ...v4Rules(transport),
    ...v4Bans(transport),
    ...v4Cluster(transport),
    ...v4Extras(transport),
    ...v4Integrations(transport),
    ...v4Inspection(transport),
    ...v4Writes(transport, options),
    ...v4MaintenanceWrites(transport),
  };
}
