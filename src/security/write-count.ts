import {
  type DirectiveNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  Kind,
  type SelectionSetNode,
} from 'graphql';
import { operationVariables, rawValue, selectOperation } from './operation-input.ts';

/**
 * How many upstream writes an operation may cause (CONTRACT §6), counted from the document and variables
 * before anything runs: every mutation field 1, a batch field one per item of its list argument (named by
 * the field's `writeItems` extension), a field asked for `dryRun: true` 0. Queries cause none.
 */

/** Field extension naming the list argument whose items each count as one write. */
export const WRITE_ITEMS_EXTENSION = 'writeItems';

interface FieldLike {
  extensions?: Record<string, unknown>;
}

function isIncluded(directives: readonly DirectiveNode[] | undefined, variables: Record<string, unknown>) {
  for (const directive of directives ?? []) {
    const name = directive.name.value;
    if (name !== 'skip' && name !== 'include') continue;
    const argument = directive.arguments?.find((a) => a.name.value === 'if');
    const condition = argument ? rawValue(argument.value, variables) === true : false;
    if (name === 'skip' && condition) return false;
    if (name === 'include' && !condition) return false;
  }
  return true;
}

function fieldWrites(node: FieldNode, field: FieldLike | undefined, variables: Record<string, unknown>) {
  if (!field) return 0;
  const args = Object.fromEntries(
    (node.arguments ?? []).map((a) => [a.name.value, rawValue(a.value, variables)]),
  );
  if (args.dryRun === true) return 0;
  const itemsArg = field.extensions?.[WRITE_ITEMS_EXTENSION];
  if (typeof itemsArg !== 'string') return 1;
  const items = args[itemsArg];
  // GraphQL coerces a single value given for a list argument into a list of one.
  return Array.isArray(items) ? items.length : items == null ? 0 : 1;
}

export interface WriteCountInput {
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName?: string | null;
  variables?: Record<string, unknown>;
}

/** The writes the operation may cause; 0 for queries and subscriptions or when no single operation is named. */
export function operationWrites(input: WriteCountInput): number {
  const operation = selectOperation(input.document, input.operationName);
  const mutation = input.schema.getMutationType();
  if (operation?.operation !== 'mutation' || !mutation) return 0;
  const fields = mutation.getFields() as Record<string, FieldLike>;
  const variables = operationVariables(operation, input.variables);
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of input.document.definitions)
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const active = new Set<string>();

  function count(set: SelectionSetNode): number {
    let total = 0;
    for (const selection of set.selections) {
      if (!isIncluded(selection.directives, variables)) continue;
      if (selection.kind === Kind.FIELD) {
        total += fieldWrites(selection, fields[selection.name.value], variables);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        total += count(selection.selectionSet);
      } else {
        const fragment = fragments.get(selection.name.value);
        // A fragment cycle is refused by validation; counting stops at it rather than looping.
        if (!fragment || active.has(fragment.name.value)) continue;
        active.add(fragment.name.value);
        total += count(fragment.selectionSet);
        active.delete(fragment.name.value);
      }
    }
    return total;
  }

  return count(operation.selectionSet);
}
