/** Items a connection returns when the caller gives no `first`/`last` (the Relay plugin's default). */
export const DEFAULT_PAGE_SIZE = 20;
/** Assumed length of a plain list field, whose size the caller cannot choose. */
const LIST_MULTIPLIER = 10;

const PAGE_ARGS = ['first', 'last', 'limit', 'pageSize'] as const;

/**
 * What the cost of one operation may depend on beyond its document and variables: how many deployments the
 * caller can see (from the cached catalog), which bounds a `deployments` page that gives no `first`.
 * `wanted` is set when an estimate used the default page size because the count was not known yet.
 */
export interface CostContext {
  visibleDeployments?: number;
  wanted?: boolean;
}

function requestedPageSize(
  args: Record<string, unknown>,
  connection: string,
  context: CostContext | undefined,
) {
  for (const name of PAGE_ARGS) {
    const value = args[name];
    if (typeof value === 'number' && Number.isFinite(value)) return Math.max(0, value);
  }
  if (connection !== 'DeploymentConnection' || !context) return DEFAULT_PAGE_SIZE;
  if (context.visibleDeployments === undefined) {
    context.wanted = true;
    return DEFAULT_PAGE_SIZE;
  }
  return Math.min(DEFAULT_PAGE_SIZE, context.visibleDeployments);
}

/**
 * The schema-wide cost of one field (the complexity plugin's `fieldComplexity`), in the spirit of GitHub's node
 * limit: `field` is what the field costs once, `multiplier` how many items it may return. A connection is one
 * upstream read (1) returning as many items as the caller asks for (or, for `deployments` without `first`,
 * as many as the caller can see, at most a default page); its `edges` list adds no multiplier; a plain list
 * counts 10 items. Each object item then costs 1 (operation-cost.ts); scalars cost nothing.
 * A field that sets its own `complexity` overrides this.
 */
export function fieldCost(
  args: Record<string, unknown>,
  context: unknown,
  field: { type: { toString(): string } },
) {
  // Read from the printed type ("[DeploymentEdge!]!"): graphql's type predicates throw when the schema was
  // built by the other of graphql's two module builds (CJS/ESM), which happens under the test runner.
  const shape = String(field.type);
  const named = shape.replace(/[[\]!]/g, '');
  if (named.endsWith('Connection'))
    return { field: 1, multiplier: requestedPageSize(args, named, context as CostContext | undefined) };
  if (shape.replace(/!$/, '').startsWith('['))
    return { field: 0, multiplier: named.endsWith('Edge') ? 1 : LIST_MULTIPLIER };
  return { field: 0, multiplier: 1 };
}
