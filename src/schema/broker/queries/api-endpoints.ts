import type { ApiEndpoint } from '../../../broker/api.ts';
import { brokerOf } from '../../../broker/request.ts';
import { builder } from '../../builder.ts';
import { DeploymentRef } from '../../deployments/deployment.ts';

/** The route index a v4 broker serves at its API root: what this EMQX version's management API offers. */

const BrokerApiEndpointRef = builder.objectRef<ApiEndpoint>('BrokerApiEndpoint').implement({
  description: 'A route of the broker management API',
  fields: (t) => ({
    name: t.exposeString('name'),
    method: t.exposeString('method'),
    path: t.exposeString('path', { description: 'relative to the API root, e.g. /clients/:clientid' }),
    description: t.exposeString('description', { nullable: true }),
  }),
});

builder.objectFields(DeploymentRef, (t) => ({
  brokerApiEndpoints: t.field({
    type: [BrokerApiEndpointRef],
    nullable: true,
    authScopes: { viewer: true },
    description: 'v4 `GET /api/v4`: every route of the management API; NOT_SUPPORTED on v5',
    resolve: async (deployment, _, context) => (await brokerOf(context, deployment).api.apiEndpoints()).value,
  }),
}));
