import { BAN_KINDS, type Ban } from '../../../broker/model.ts';
import { builder } from '../../builder.ts';
import { DeploymentRef, FreshnessType } from '../../deployments/deployment.ts';
import { pageSize } from '../../pagination.ts';
import { brokerConnection } from '../connection.ts';

export const BanKindEnum = builder.enumType('BanKind', { values: BAN_KINDS });

export const BanRef = builder.objectRef<Ban>('Ban').implement({
  description: 'A ban on a client ID, username or address (v4 knows the first three kinds)',
  fields: (t) => ({
    kind: t.field({ type: BanKindEnum, resolve: (b) => b.kind }),
    who: t.exposeString('who'),
    by: t.exposeString('by', { nullable: true }),
    reason: t.exposeString('reason', { nullable: true }),
    at: t.field({ type: 'DateTime', nullable: true, resolve: (b) => b.at }),
    until: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'null: never expires',
      resolve: (b) => b.until,
    }),
  }),
});

builder.objectFields(DeploymentRef, (t) => ({
  bans: t.connection(
    {
      forwardOnly: true,
      type: BanRef,
      nullable: true,
      authScopes: { viewer: true },
      validate: pageSize,
      resolve: (deployment, args, context) =>
        brokerConnection(context, deployment, args, (api, page) => api.listBans(page)),
    },
    {
      name: 'BanConnection',
      fields: (c) => ({
        totalCount: c.int({ nullable: true, resolve: (connection) => connection.totalCount }),
        freshness: c.field({ type: FreshnessType, resolve: (connection) => connection.freshness }),
      }),
    },
    { name: 'BanEdge' },
  ),
}));
