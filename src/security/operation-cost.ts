import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  Kind,
  type SelectionSetNode,
} from 'graphql';
import { operationVariables, rawValue, selectOperation } from './operation-input.ts';

/**
 * The estimated cost of the operation a request will run: what each field costs once and how many items it may
 * return, from the `complexity` each field carries in its extensions (set by the Pothos complexity plugin; see
 * field-cost.ts), plus 1 for every object item it may return. Scalars, and the wrappers a page is made of (edges,
 * page info, freshness, the connection object), cost nothing of their own. Pothos's own calculator is not used
 * because it maps and validates arguments first, so one bad argument would hide the cost of every other
 * field; here arguments are read raw (operation-input.ts). Types are read through their methods
 * and printed names only, which works whichever of graphql's CJS/ESM builds made the schema.
 */

type CostValue = number | { field?: number; multiplier?: number };
type CostOption =
  | CostValue
  | ((args: Record<string, unknown>, context: unknown, field: unknown) => CostValue);

interface TypeLike {
  name: string;
  getTypes?: () => unknown;
  getFields?: () => Record<string, { type: unknown; extensions?: { complexity?: CostOption } }>;
}

const LIST_MULTIPLIER = 10;

const namedOf = (type: unknown): TypeLike => {
  let current = type as { ofType?: unknown };
  while (current.ofType) current = current.ofType as { ofType?: unknown };
  return current as unknown as TypeLike;
};
const isList = (type: unknown) => String(type).replace(/!$/, '').startsWith('[');
const WRAPPER = /(Connection|Edge)$|^(PageInfo|Freshness)$/;
/** 1 for each item of an object (or union) type that is not part of a page's wrapping; scalars and enums 0. */
const itemCost = (type: TypeLike) => ((type.getFields || type.getTypes) && !WRAPPER.test(type.name) ? 1 : 0);

export interface OperationCostInput {
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName?: string | null;
  variables?: Record<string, unknown>;
  context?: unknown;
}

/** The cost of the operation that will run, or null when the document names no single one. */
export function operationCost(input: OperationCostInput): number | null {
  const { schema, document, context } = input;
  const operation = selectOperation(document, input.operationName);
  const root = operation && schema.getRootType(operation.operation);
  if (!operation || !root) return null;

  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions)
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const variables = operationVariables(operation, input.variables);
  const done = new Map<string, number>();
  const active = new Set<string>();

  function fieldCost(node: FieldNode, parent: TypeLike): number {
    const name = node.name.value;
    const definition = name.startsWith('__') ? undefined : parent.getFields?.()[name];
    // Introspection and unknown fields: 1, and not descended (depth and token limits bound them).
    if (!definition) return name === '__typename' ? 0 : 1;
    const list = isList(definition.type);
    let option: CostOption = definition.extensions?.complexity ?? {};
    if (typeof option === 'function') {
      const args = Object.fromEntries(
        (node.arguments ?? []).map((a) => [a.name.value, rawValue(a.value, variables)]),
      );
      try {
        option = option(args, context, definition);
      } catch {
        option = {};
      }
    }
    const own = typeof option === 'number' ? option : (option.field ?? 0);
    const fallback = list ? LIST_MULTIPLIER : 1;
    const multiplier = typeof option === 'object' ? (option.multiplier ?? fallback) : fallback;
    const type = namedOf(definition.type);
    const inner = node.selectionSet ? selectionCost(node.selectionSet, type) : 0;
    return own + Math.max(0, multiplier) * (itemCost(type) + inner);
  }

  function spreadCost(name: string, parent: TypeLike): number {
    const key = `${name}@${parent.name}`;
    const known = done.get(key);
    if (known !== undefined) return known;
    const fragment = fragments.get(name);
    if (!fragment || active.has(key)) return 0;
    active.add(key);
    const type = (schema.getType(fragment.typeCondition.name.value) as TypeLike | undefined) ?? parent;
    const cost = selectionCost(fragment.selectionSet, type);
    active.delete(key);
    done.set(key, cost);
    return cost;
  }

  function selectionCost(set: SelectionSetNode, parent: TypeLike): number {
    let total = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) total += fieldCost(selection, parent);
      else if (selection.kind === Kind.FRAGMENT_SPREAD) total += spreadCost(selection.name.value, parent);
      else {
        const condition = selection.typeCondition?.name.value;
        const type = condition ? (schema.getType(condition) as TypeLike | undefined) : parent;
        total += selectionCost(selection.selectionSet, type ?? parent);
      }
    }
    return total;
  }

  return selectionCost(operation.selectionSet, root as unknown as TypeLike);
}
