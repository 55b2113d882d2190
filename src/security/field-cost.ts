/** Items a connection returns when the caller gives no `first`/`last` (the Relay plugin's default). */
const DEFAULT_PAGE_SIZE = 20;
/** Assumed length of a plain list field, whose size the caller cannot choose. */
const LIST_MULTIPLIER = 10;

const PAGE_ARGS = ['first', 'last', 'limit', 'pageSize'] as const;

function requestedPageSize(args: Record<string, unknown>): number {
  for (const name of PAGE_ARGS) {
    const value = args[name];
    if (typeof value === 'number' && Number.isFinite(value)) return Math.max(0, value);
  }
  return DEFAULT_PAGE_SIZE;
}

/**
 * The schema-wide cost of one field (the complexity plugin's `fieldComplexity`): 1 for the field itself, and
 * its selections counted once per item it can return. A connection returns as many items as the caller asks
 * for, so its page size is the multiplier and its `edges` list adds none; a plain list counts 10.
 * A field that sets its own `complexity` overrides this.
 */
export function fieldCost(
  args: Record<string, unknown>,
  _context: unknown,
  field: { type: { toString(): string } },
) {
  // Read from the printed type ("[DeploymentEdge!]!"): graphql's type predicates throw when the schema was
  // built by the other of graphql's two module builds (CJS/ESM), which happens under the test runner.
  const shape = String(field.type);
  const named = shape.replace(/[[\]!]/g, '');
  if (named.endsWith('Connection')) return { field: 1, multiplier: requestedPageSize(args) };
  if (shape.replace(/!$/, '').startsWith('['))
    return { field: 1, multiplier: named.endsWith('Edge') ? 1 : LIST_MULTIPLIER };
  return { field: 1, multiplier: 1 };
}
