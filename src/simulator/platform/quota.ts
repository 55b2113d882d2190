/** The platform operations that carry a documented quota (seed 000_2e18eb400e53c6ab.txt, project page). */
export type PlatformOperation =
  | 'listDeployments'
  | 'getDeployment'
  | 'startDeployment'
  | 'stopDeployment'
  | 'createDeployment'
  | 'listProjects';

export interface QuotaRule {
  limit: number;
  windowSeconds: number;
}

export type PlatformQuotas = Record<PlatformOperation, QuotaRule>;

/** "Can only be requested N times within 60 minutes", per the newer page, which wins over the older one. */
export const DEFAULT_PLATFORM_QUOTAS: PlatformQuotas = {
  listDeployments: { limit: 60, windowSeconds: 3600 },
  getDeployment: { limit: 60, windowSeconds: 3600 },
  startDeployment: { limit: 5, windowSeconds: 3600 },
  stopDeployment: { limit: 5, windowSeconds: 3600 },
  createDeployment: { limit: 1, windowSeconds: 3600 },
  listProjects: { limit: 60, windowSeconds: 3600 },
};

export interface QuotaLimiter {
  /** Counts one request; false when the operation's window is already full (the request is then not counted). */
  take(operation: PlatformOperation): boolean;
}

/**
 * Sliding windows, one per operation for the whole API key (the docs say "this method can only be requested
 * N times", not per deployment), which is the strictest reading and so the one that catches a gateway that
 * budgets per deployment.
 */
export function createQuotaLimiter(quotas: PlatformQuotas, now: () => number): QuotaLimiter {
  const history = new Map<PlatformOperation, number[]>();
  return {
    take(operation) {
      const { limit, windowSeconds } = quotas[operation];
      const since = now() - windowSeconds * 1000;
      const recent = (history.get(operation) ?? []).filter((at) => at > since);
      history.set(operation, recent);
      if (recent.length >= limit) return false;
      recent.push(now());
      return true;
    },
  };
}
