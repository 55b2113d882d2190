import { builder } from '../builder.ts';

interface QuotaView {
  endpoint: string;
  limit: number;
  remaining: number;
  windowSeconds: number;
  resetsAt: Date | null;
}

const UpstreamQuota = builder.objectRef<QuotaView>('UpstreamQuota').implement({
  description: 'One platform endpoint’s fleet-wide sliding-window quota',
  fields: (t) => ({
    endpoint: t.exposeString('endpoint', {
      description: 'listDeployments, getDeployment, startDeployment, stopDeployment or createDeployment',
    }),
    limit: t.exposeInt('limit'),
    remaining: t.exposeInt('remaining'),
    windowSeconds: t.exposeInt('windowSeconds'),
    resetsAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the oldest counted call leaves the window (null when none is counted)',
      resolve: (q) => q.resetsAt,
    }),
  }),
});

builder.queryField('upstreamQuotas', (t) =>
  t.field({
    type: [UpstreamQuota],
    description: 'The remaining upstream quota per platform endpoint, shared by every replica.',
    authScopes: { viewer: true },
    resolve: async (_, __, context) => {
      const snapshot = await context.services.quotas.snapshot();
      for (const q of snapshot)
        context.services.metrics.quotaRemaining.set({ endpoint: q.endpoint }, q.remaining);
      return snapshot.map((q) => ({ ...q, windowSeconds: Math.round(q.windowSeconds) }));
    },
  }),
);
