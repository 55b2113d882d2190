import { type DocumentNode, Kind, type OperationDefinitionNode, type ValueNode } from 'graphql';

/**
 * What the document-measuring plugins (cost, write budget) read before execution: the operation that will
 * run and its arguments as raw values. Arguments are read raw from the document and variables rather than
 * coerced, so one bad argument does not hide what the rest of the operation would do.
 */

/** A literal or variable as its raw JavaScript value (enums as their names). */
export function rawValue(node: ValueNode, variables: Record<string, unknown>): unknown {
  switch (node.kind) {
    case Kind.VARIABLE:
      return variables[node.name.value];
    case Kind.INT:
    case Kind.FLOAT:
      return Number(node.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return node.values.map((value) => rawValue(value, variables));
    case Kind.OBJECT:
      return Object.fromEntries(node.fields.map((f) => [f.name.value, rawValue(f.value, variables)]));
    default:
      return node.value;
  }
}

/** The operation a request runs: the named one, or the only one; undefined when that is ambiguous. */
export function selectOperation(
  document: DocumentNode,
  operationName?: string | null,
): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  if (operationName) return operations.find((d) => d.name?.value === operationName);
  return operations.length === 1 ? operations[0] : undefined;
}

/** The request's variables over the operation's declared defaults. */
export function operationVariables(
  operation: OperationDefinitionNode,
  given: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const variables: Record<string, unknown> = {};
  for (const definition of operation.variableDefinitions ?? [])
    if (definition.defaultValue)
      variables[definition.variable.name.value] = rawValue(definition.defaultValue, {});
  return Object.assign(variables, given);
}
