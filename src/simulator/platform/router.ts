import type { PlatformOperation } from './quota.ts';

/** Where the platform API is mounted, as the EMQX Cloud console shows the endpoint. */
export const PLATFORM_PREFIX = '/public_api/v1';

export type RouteMatch =
  | { kind: 'route'; operation: PlatformOperation; deploymentId?: string }
  | { kind: 'not-found' }
  | { kind: 'method-not-allowed'; allow: string[] };

interface Route {
  /** Path segments after the prefix; `:id` matches one deployment ID. */
  pattern: string[];
  methods: Partial<Record<string, PlatformOperation>>;
}

const ROUTES: Route[] = [
  { pattern: ['deployments'], methods: { GET: 'listDeployments', POST: 'createDeployment' } },
  { pattern: ['deployments', ':id'], methods: { GET: 'getDeployment' } },
  { pattern: ['deployments', ':id', 'start'], methods: { POST: 'startDeployment' } },
  { pattern: ['deployments', ':id', 'stop'], methods: { POST: 'stopDeployment' } },
  { pattern: ['projects'], methods: { GET: 'listProjects' } },
];

function decodeSegments(rawPath: string): string[] | undefined {
  if (!rawPath.startsWith(`${PLATFORM_PREFIX}/`)) return undefined;
  try {
    return rawPath
      .slice(PLATFORM_PREFIX.length + 1)
      .split('/')
      .map(decodeURIComponent);
  } catch {
    return undefined;
  }
}

function bind(pattern: string[], segments: string[]): { deploymentId?: string } | undefined {
  if (pattern.length !== segments.length) return undefined;
  let deploymentId: string | undefined;
  for (const [index, part] of pattern.entries()) {
    const segment = segments[index]!;
    if (part === ':id') {
      if (segment === '') return undefined;
      deploymentId = segment;
    } else if (part !== segment) return undefined;
  }
  return deploymentId === undefined ? {} : { deploymentId };
}

/**
 * Strict matching, as a real router would be: no trailing slash, no doubled slash, so a gateway that joins
 * URLs carelessly gets the 404 it would get from EMQX Cloud.
 */
export function matchRoute(method: string, rawPath: string): RouteMatch {
  const segments = decodeSegments(rawPath);
  if (!segments) return { kind: 'not-found' };
  for (const route of ROUTES) {
    const params = bind(route.pattern, segments);
    if (!params) continue;
    const operation = route.methods[method.toUpperCase()];
    if (!operation) return { kind: 'method-not-allowed', allow: Object.keys(route.methods) };
    return { kind: 'route', operation, ...params };
  }
  return { kind: 'not-found' };
}
