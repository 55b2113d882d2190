import { z } from 'zod';
import type { BrokerFreshness, ClientQuery, MqttClient, MqttClientField } from '../../../broker/api.ts';
import { V5_CLIENT_FIELDS } from '../../../broker/client-wire.ts';
import { checkNodeFilter } from '../../../broker/node-filter.ts';
import { brokerOf } from '../../../broker/request.ts';
import type { GatewayContext } from '../../../context.ts';
import { NotFoundError } from '../../../errors.ts';
import { findVisibleDeployment } from '../../../platform/access.ts';
import type { Deployment } from '../../../platform/model.ts';
import { clientId, nodeName } from '../../../validation/identifiers.ts';
import { builder } from '../../builder.ts';
import { DeploymentRef, FreshnessType } from '../../deployments/deployment.ts';
import { pageSize } from '../../pagination.ts';
import { brokerConnection, selectedNodeFields } from '../connection.ts';

/**
 * A client as the schema serves it: the broker's view, the deployment it is on and how fresh it is. The
 * client is wrapped, not spread: copying ~40 fields per client was a measurable share of a dashboard's CPU.
 */
export interface ClientNode {
  client: MqttClient;
  deployment: Deployment;
  freshness: BrokerFreshness;
}

export const clientNode = (
  client: MqttClient,
  deployment: Deployment,
  freshness: BrokerFreshness,
): ClientNode => ({ client, deployment, freshness });

/** `<deploymentId>:<clientId>`: deployment IDs never contain a colon, client IDs may. */
async function loadByNodeId(context: GatewayContext, id: string): Promise<ClientNode | Error> {
  const split = id.indexOf(':');
  const deployment = split > 0 ? await findVisibleDeployment(context, id.slice(0, split)) : null;
  if (!deployment) return new NotFoundError('MqttClient not found');
  const found = await brokerOf(context, deployment).clients.load(id.slice(split + 1));
  return found.value
    ? clientNode(found.value, deployment, found.freshness)
    : new NotFoundError('MqttClient not found');
}

export const MqttClientRef = builder.loadableNodeRef<ClientNode, string, string>('MqttClient', {
  id: { resolve: (c) => `${c.deployment.deploymentId}:${c.client.clientId}` },
  load: (ids, context) => Promise.all(ids.map((id) => loadByNodeId(context, id))),
});

MqttClientRef.implement({
  description: 'An MQTT client (session) on a deployment, the same for EMQX v4 and v5',
  fields: (t) => ({
    clientId: t.string({ resolve: (c) => c.client.clientId }),
    username: t.string({ nullable: true, resolve: (c) => c.client.username }),
    node: t.string({ nullable: true, resolve: (c) => c.client.node }),
    connected: t.boolean({ resolve: (c) => c.client.connected }),
    ipAddress: t.string({ nullable: true, resolve: (c) => c.client.ipAddress }),
    port: t.int({ nullable: true, resolve: (c) => c.client.port }),
    protoName: t.string({ nullable: true, resolve: (c) => c.client.protoName }),
    protoVer: t.int({ nullable: true, resolve: (c) => c.client.protoVer }),
    keepalive: t.int({ nullable: true, resolve: (c) => c.client.keepalive }),
    cleanStart: t.boolean({ nullable: true, resolve: (c) => c.client.cleanStart }),
    expiryInterval: t.int({ nullable: true, resolve: (c) => c.client.expiryInterval }),
    connectedAt: t.field({ type: 'DateTime', nullable: true, resolve: (c) => c.client.connectedAt }),
    disconnectedAt: t.field({ type: 'DateTime', nullable: true, resolve: (c) => c.client.disconnectedAt }),
    createdAt: t.field({ type: 'DateTime', nullable: true, resolve: (c) => c.client.createdAt }),
    subscriptionsCount: t.int({ nullable: true, resolve: (c) => c.client.subscriptionsCount }),
    inflightCount: t.int({ nullable: true, resolve: (c) => c.client.inflightCount }),
    mqueueLength: t.int({ nullable: true, resolve: (c) => c.client.mqueueLength }),
    mqueueDropped: t.int({ nullable: true, resolve: (c) => c.client.mqueueDropped }),
    receivedMessages: t.int({ nullable: true, resolve: (c) => c.client.receivedMessages }),
    sentMessages: t.int({ nullable: true, resolve: (c) => c.client.sentMessages }),
    receivedBytes: t.int({ nullable: true, resolve: (c) => c.client.receivedBytes }),
    sentBytes: t.int({ nullable: true, resolve: (c) => c.client.sentBytes }),
    deployment: t.field({ type: DeploymentRef, resolve: (c) => c.deployment }),
    freshness: t.field({ type: FreshnessType, resolve: (c) => c.freshness }),
  }),
});

const ClientConnStateEnum = builder.enumType('ClientConnState', {
  description: "EMQX's connection state of a client (`conn_state`)",
  values: {
    CONNECTED: { value: 'connected' },
    IDLE: { value: 'idle', description: 'connected, no traffic within the keepalive' },
    DISCONNECTED: { value: 'disconnected', description: 'a persistent session whose client is gone' },
  } as const,
});

const ClientFilter = builder.inputType('ClientFilter', {
  fields: (t) => ({
    clientIds: t.stringList({ validate: z.array(clientId).max(500) }),
    clientIdContains: t.string(),
    username: t.string(),
    usernameContains: t.string(),
    ipAddress: t.string(),
    connState: t.field({ type: ClientConnStateEnum }),
    cleanStart: t.boolean(),
    protoVer: t.int(),
    node: t.string({ validate: nodeName }),
    connectedAfter: t.field({ type: 'DateTime' }),
    connectedBefore: t.field({ type: 'DateTime' }),
    createdAfter: t.field({ type: 'DateTime' }),
    createdBefore: t.field({ type: 'DateTime' }),
  }),
});

const ALL_FIELDS = Object.keys(V5_CLIENT_FIELDS) as MqttClientField[];

/** The wire fields a query needs, when that is fewer than all (v5 then sends `fields=`). */
function projection(selected: Set<string>): MqttClientField[] | undefined {
  if (selected.has('subscriptions')) selected.add('subscriptionsCount');
  const fields = ALL_FIELDS.filter((f) => selected.has(f));
  return fields.length < ALL_FIELDS.length ? fields : undefined;
}

/**
 * A page of clients whose subscriptions are asked for: the subscription table is read at the same time as the
 * page (one upstream delay, as a hand-written client would), when a scan would answer them anyway (three or more
 * clients). A deployment that cannot be asked is left to the page's own guard to report.
 */
function prefetchSubscriptions(context: GatewayContext, deployment: Deployment) {
  try {
    brokerOf(context, deployment).prefetchSubscriptions();
  } catch {
    // BROKER_NOT_CONFIGURED, DEPLOYMENT_NOT_RUNNING: the page reports it.
  }
}

builder.objectFields(DeploymentRef, (t) => ({
  clients: t.connection(
    {
      forwardOnly: true,
      type: MqttClientRef,
      nullable: true,
      authScopes: { viewer: true },
      args: { filter: t.arg({ type: ClientFilter }) },
      validate: pageSize,
      resolve: (deployment, args, context, info) => {
        const selected = selectedNodeFields(info);
        if (selected.has('subscriptions') && (args.first ?? 20) >= 3)
          prefetchSubscriptions(context, deployment);
        const fields = projection(selected);
        const query: ClientQuery = args.filter ?? {};
        return brokerConnection(
          context,
          deployment,
          args,
          async (api, page) => {
            await checkNodeFilter(api, query.node, 'filter.node');
            return api.listClients(query, page, fields ? { fields } : {});
          },
          (client, freshness) => clientNode(client, deployment, freshness),
        );
      },
    },
    {
      name: 'MqttClientConnection',
      fields: (c) => ({
        totalCount: c.int({ nullable: true, resolve: (connection) => connection.totalCount }),
        freshness: c.field({ type: FreshnessType, resolve: (connection) => connection.freshness }),
      }),
    },
    { name: 'MqttClientEdge' },
  ),
  client: t.field({
    type: MqttClientRef,
    nullable: true,
    authScopes: { viewer: true },
    args: { clientId: t.arg.string({ required: true, validate: clientId }) },
    resolve: async (deployment, { clientId }, context) => {
      const found = await brokerOf(context, deployment).clients.load(clientId);
      return found.value ? clientNode(found.value, deployment, found.freshness) : null;
    },
  }),
}));
