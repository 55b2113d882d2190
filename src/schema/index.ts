import { builder } from './builder.ts';
import './scalars.ts';
import './errors.ts';
import './deployments/deployment.ts';
import './deployments/quota.ts';
import './deployments/lifecycle.ts';
import './broker/queries/clients.ts';
import './broker/queries/subscriptions.ts';
import './broker/queries/retained.ts';
import './broker/queries/rules.ts';
import './broker/queries/bans.ts';
import './broker/queries/cluster.ts';
import './broker/queries/access-control.ts';
import './broker/queries/integrations.ts';
import './broker/queries/integration-catalog.ts';
import './broker/queries/routing.ts';
import './broker/queries/client-session.ts';
import './broker/queries/rule-events.ts';
import './broker/queries/api-endpoints.ts';
import './broker/mutations/publish.ts';
import './broker/mutations/clients.ts';
import './broker/mutations/rules.ts';
import './broker/mutations/rule-test.ts';
import './broker/mutations/bans.ts';
import './broker/mutations/retained.ts';
import './broker/mutations/authn.ts';
import './broker/mutations/authz.ts';
import './broker/mutations/connectors.ts';
import './broker/mutations/actions.ts';
import './broker/mutations/resources.ts';
import './broker/mutations/registered-schemas.ts';
import './live/mqtt-messages.ts';
import './live/client-events.ts';
import './live/alarm-events.ts';
import './live/deployment-status.ts';
import './broker/mutations/authorization-cache.ts';
import './broker/mutations/plugins.ts';

// Defaults for every root field, so none is ever left without scope-auth: queries need at least viewer,
// mutations at least operator (admin-only ones add their own scope, and both must pass).
builder.queryType({ authScopes: { viewer: true } });
builder.mutationType({ authScopes: { operator: true } });
builder.subscriptionType({ authScopes: { viewer: true } });

/** Builds the executable schema. Importing this module only registers types; nothing else runs. */
export const buildSchema = () => builder.toSchema({ sortSchema: false });
