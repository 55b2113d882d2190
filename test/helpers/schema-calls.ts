import {
  astFromValue,
  buildClientSchema,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLSchema,
  getIntrospectionQuery,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
  print,
} from 'graphql';
import type { Stack } from './stack.ts';

/**
 * Builds a call for every root field of the live schema, with dummy arguments of the right types, so that
 * security tests cover fields and mutations added after they were written.
 */

/** Values for arguments (and input fields) by name; anything else gets a dummy of its type. */
export type Overrides = Record<string, unknown>;

export interface RootCall {
  field: string;
  query: string;
  variables: Record<string, unknown>;
}

export async function fetchSchema(stack: Stack): Promise<GraphQLSchema> {
  const { body } = await stack.gql(getIntrospectionQuery());
  return buildClientSchema(body.data);
}

export function dummyValue(type: GraphQLInputType, name: string, overrides: Overrides): unknown {
  if (isNonNullType(type)) return dummyValue(type.ofType, name, overrides);
  if (name in overrides) return overrides[name];
  if (isListType(type)) return [dummyValue(type.ofType, name, overrides)];
  if (isEnumType(type)) return type.getValues()[0]?.value;
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields()).filter(
      (f) => isNonNullType(f.type) || f.name in overrides,
    );
    return Object.fromEntries(fields.map((f) => [f.name, dummyValue(f.type, f.name, overrides)]));
  }
  const scalars: Record<string, unknown> = {
    Int: 1,
    Float: 1,
    Boolean: false,
    DateTime: '2026-01-01T00:00:00Z',
    JSON: {},
  };
  return type.name in scalars ? scalars[type.name] : 'x';
}

/** Arguments a call passes: every required one, and every one named in the overrides. */
const passedArgs = (field: GraphQLField<unknown, unknown>, overrides: Overrides) =>
  field.args.filter((arg) => isNonNullType(arg.type) || arg.name in overrides);

function literalArgs(field: GraphQLField<unknown, unknown>, overrides: Overrides): string {
  const parts = passedArgs(field, overrides).map((arg) => {
    const ast = astFromValue(dummyValue(arg.type, arg.name, overrides), arg.type);
    return `${arg.name}: ${ast ? print(ast) : 'null'}`;
  });
  return parts.length ? `(${parts.join(', ')})` : '';
}

/** A selection of every field down to `depth` levels, through unions and interfaces. */
export function selectionOf(
  schema: GraphQLSchema,
  type: GraphQLNamedType,
  depth: number,
  overrides: Overrides,
): string {
  if (isLeafType(type)) return '';
  // Members of a union or interface may use one field name with different types, which cannot be merged.
  const typeOfName = new Map<string, string>();
  const fieldsOf = (owner: GraphQLNamedType) => {
    if (!isObjectType(owner) && !isInterfaceType(owner)) return '';
    return Object.values(owner.getFields())
      .filter((field) => (typeOfName.get(field.name) ?? String(field.type)) === String(field.type))
      .map((field) => {
        typeOfName.set(field.name, String(field.type));
        const named = getNamedType(field.type);
        const call = `${field.name}${literalArgs(field, overrides)}`;
        if (isLeafType(named)) return call;
        return depth > 0 ? `${call} ${selectionOf(schema, named, depth - 1, overrides)}` : '';
      })
      .join(' ');
  };
  if (isObjectType(type)) return `{ __typename ${fieldsOf(type)} }`;
  if (isUnionType(type) || isInterfaceType(type)) {
    const members = schema.getPossibleTypes(type).map((m) => `... on ${m.name} { ${fieldsOf(m)} }`);
    return `{ __typename ${members.join(' ')} }`;
  }
  return '';
}

/** One operation per root field of `operation`, with its arguments passed as variables. */
export function rootCalls(
  schema: GraphQLSchema,
  operation: 'query' | 'mutation',
  overrides: Overrides,
  select: (type: GraphQLNamedType) => string,
): RootCall[] {
  const root = operation === 'query' ? schema.getQueryType() : schema.getMutationType();
  return Object.values(root?.getFields() ?? {}).map((field) => {
    const args = passedArgs(field, overrides);
    const declared = args.map((arg) => `$${arg.name}: ${arg.type}`).join(', ');
    const passed = args.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
    const variables = Object.fromEntries(
      args.map((arg) => [arg.name, dummyValue(arg.type, arg.name, overrides)]),
    );
    const query = `${operation}${declared ? `(${declared})` : ''} { ${field.name}${passed ? `(${passed})` : ''} ${select(getNamedType(field.type))} }`;
    return { field: field.name, query, variables };
  });
}

/** The code a call was refused or failed with: from a result union's Error member, else the first error. */
export function codeOf(
  body: { data?: any; errors?: Array<{ extensions?: Record<string, any> }> },
  field: string,
) {
  const result = body.data?.[field];
  if (result && typeof result === 'object' && typeof result.code === 'string') return result.code as string;
  return body.errors?.[0]?.extensions?.code as string | undefined;
}
