import { resolveArrayConnection } from '@pothos/plugin-relay';
import { z } from 'zod';
import { brokerVersionOf } from '../../broker/api.ts';
import { NotFoundError } from '../../errors.ts';
import { findVisibleDeployment, visibleDeployments } from '../../platform/access.ts';
import {
  DEPLOYMENT_STATUSES,
  DEPLOYMENT_TYPES,
  type Deployment,
  deploymentStatus,
  deploymentType,
  type Freshness,
} from '../../platform/model.ts';
import { builder } from '../builder.ts';
import { pageSize } from '../pagination.ts';

export const DeploymentStatusEnum = builder.enumType('DeploymentStatus', { values: DEPLOYMENT_STATUSES });
export const DeploymentTypeEnum = builder.enumType('DeploymentType', { values: DEPLOYMENT_TYPES });
export const BrokerApiVersionEnum = builder.enumType('BrokerApiVersion', { values: ['V4', 'V5'] as const });
const DataSourceEnum = builder.enumType('DataSource', {
  values: {
    UPSTREAM: { description: 'fetched from EMQX for this request' },
    CACHE: { description: 'a cached answer younger than its TTL' },
    STALE: {
      description:
        'an older answer, served because EMQX could not be asked (quota, error) or is being re-asked',
    },
  },
});

export const FreshnessType = builder.objectRef<Freshness>('Freshness').implement({
  description: 'Where a value came from and how old it is',
  fields: (t) => ({
    source: t.field({ type: DataSourceEnum, resolve: (f) => f.source }),
    fetchedAt: t.field({ type: 'DateTime', resolve: (f) => new Date(f.fetchedAt) }),
    ageSeconds: t.int({ resolve: (f) => Math.max(0, Math.floor((Date.now() - f.fetchedAt) / 1000)) }),
  }),
});

export const DeploymentRef = builder.loadableNodeRef<Deployment, string, string>('Deployment', {
  id: { resolve: (d) => d.deploymentId },
  load: async (ids, context) => {
    const found = await Promise.all(ids.map((id) => findVisibleDeployment(context, id)));
    return found.map((d, i) => d ?? new NotFoundError(`Deployment ${ids[i]} not found`));
  },
  sort: (d) => d.deploymentId,
});

DeploymentRef.implement({
  description: 'An EMQX Cloud deployment, with its broker data',
  fields: (t) => ({
    deploymentId: t.exposeString('deploymentId'),
    name: t.exposeString('name'),
    type: t.field({ type: DeploymentTypeEnum, resolve: (d) => deploymentType(d.type) }),
    status: t.field({
      type: DeploymentStatusEnum,
      resolve: (d, _, ctx) => deploymentStatus(d.status, ctx.logger),
    }),
    platform: t.exposeString('platform'),
    region: t.exposeString('region'),
    projectName: t.exposeString('projectName', { nullable: true }),
    version: t.field({
      type: BrokerApiVersionEnum,
      nullable: true,
      resolve: (d, _, ctx) => {
        const fromPlatform = d.version?.toLowerCase();
        // The platform's get-one answer has no version; the configured API address says it too.
        const broker = ctx.services.config.deployments[d.deploymentId];
        const version =
          fromPlatform === 'v4' || fromPlatform === 'v5'
            ? fromPlatform
            : broker && brokerVersionOf(broker.apiUrl);
        return version ? (version.toUpperCase() as 'V4' | 'V5') : null;
      },
    }),
    connectionsLimit: t.int({ nullable: true, resolve: (d) => d.connections }),
    tps: t.int({ nullable: true, resolve: (d) => d.tps }),
    createdAt: t.field({
      type: 'DateTime',
      nullable: true,
      resolve: (d) => (d.createdAt ? new Date(d.createdAt) : null),
    }),
    freshness: t.field({ type: FreshnessType, resolve: (d) => d.freshness }),
  }),
});

const DeploymentFilter = builder.inputType('DeploymentFilter', {
  fields: (t) => ({
    status: t.field({ type: [DeploymentStatusEnum] }),
    type: t.field({ type: [DeploymentTypeEnum] }),
    projectName: t.string(),
    nameContains: t.string({ validate: z.string().max(256) }),
  }),
});

type Filter = typeof DeploymentFilter.$inferInput;

function matches(d: Deployment, filter: Filter | null | undefined): boolean {
  if (!filter) return true;
  if (filter.status && !filter.status.includes(deploymentStatus(d.status))) return false;
  if (filter.type && !filter.type.includes(deploymentType(d.type))) return false;
  if (filter.projectName != null && d.projectName !== filter.projectName) return false;
  if (filter.nameContains && !d.name.toLowerCase().includes(filter.nameContains.toLowerCase())) return false;
  return true;
}

builder.queryFields((t) => ({
  deployments: t.connection(
    {
      type: DeploymentRef,
      authScopes: { viewer: true },
      args: { filter: t.arg({ type: DeploymentFilter }) },
      validate: pageSize,
      resolve: async (_, args, context) => {
        const all = await visibleDeployments(context);
        const filtered = all
          .filter((d) => matches(d, args.filter))
          .sort((a, b) => a.deploymentId.localeCompare(b.deploymentId));
        return { ...resolveArrayConnection({ args }, filtered), totalCount: filtered.length };
      },
    },
    {
      name: 'DeploymentConnection',
      fields: (c) => ({
        totalCount: c.int({ nullable: true, resolve: (connection) => connection.totalCount }),
      }),
    },
    { name: 'DeploymentEdge' },
  ),
  deployment: t.field({
    type: DeploymentRef,
    nullable: true,
    authScopes: { viewer: true },
    args: { deploymentId: t.arg.string({ required: true }) },
    resolve: async (_, { deploymentId }, context) => {
      const deployment = await findVisibleDeployment(context, deploymentId);
      if (!deployment) throw new NotFoundError(`Deployment ${deploymentId} not found`);
      return deployment;
    },
  }),
}));
