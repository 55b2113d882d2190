import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  Kind,
  type SelectionSetNode,
} from 'graphql';

/**
 * A measure of an operation's selections (depth, aliases, root fields), computed with every fragment spread
 * expanded but each fragment measured once, so a fragment-spread bomb costs linear time to measure.
 */
export interface SelectionFold {
  /** The value of one field, given (lazily) the value of its own selection set. */
  field(node: FieldNode, inner: () => number): number;
  /** Combines the values of the members of one selection set. */
  combine(values: number[]): number;
}

/** The largest value of `fold` over the document's operations; 0 for a document without one. */
export function measureOperations(document: DocumentNode, fold: SelectionFold): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const done = new Map<string, number>();
  const active = new Set<string>();

  function spread(name: string): number {
    const known = done.get(name);
    if (known !== undefined) return known;
    const fragment = fragments.get(name);
    // A cycle or an unknown fragment is left for GraphQL validation to refuse; it adds nothing here.
    if (!fragment || active.has(name)) return fold.combine([]);
    active.add(name);
    const value = selectionSet(fragment.selectionSet);
    active.delete(name);
    done.set(name, value);
    return value;
  }

  function selectionSet(set: SelectionSetNode): number {
    return fold.combine(
      set.selections.map((selection) => {
        if (selection.kind === Kind.FIELD) {
          const inner = selection.selectionSet;
          return fold.field(selection, () => (inner ? selectionSet(inner) : fold.combine([])));
        }
        if (selection.kind === Kind.FRAGMENT_SPREAD) return spread(selection.name.value);
        return selectionSet(selection.selectionSet);
      }),
    );
  }

  let max = 0;
  for (const definition of document.definitions)
    if (definition.kind === Kind.OPERATION_DEFINITION)
      max = Math.max(max, selectionSet(definition.selectionSet));
  return max;
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

/** Deepest chain of nested fields. */
export const depthFold: SelectionFold = {
  field: (_, inner) => 1 + inner(),
  combine: (values) => values.reduce((deepest, value) => Math.max(deepest, value), 0),
};

/** Aliased fields, counted once per place they are expanded. */
export const aliasFold: SelectionFold = {
  field: (node, inner) => (node.alias ? 1 : 0) + inner(),
  combine: sum,
};

/** Fields at the top of the operation; never descends into them. */
export const rootFieldFold: SelectionFold = {
  field: () => 1,
  combine: sum,
};
