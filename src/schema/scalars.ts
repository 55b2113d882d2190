import { GraphQLError, Kind, type ValueNode } from 'graphql';
import { builder } from './builder.ts';

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function parseDateTime(value: unknown): Date {
  if (typeof value !== 'string' || !ISO_WITH_OFFSET.test(value) || Number.isNaN(Date.parse(value))) {
    throw new GraphQLError(
      'DateTime must be an ISO 8601 string with a zone offset, e.g. 2026-01-01T12:00:00Z',
      {
        extensions: { code: 'BAD_USER_INPUT' },
      },
    );
  }
  return new Date(value);
}

builder.scalarType('DateTime', {
  description: 'An ISO 8601 date-time with an offset, e.g. 2026-01-01T12:00:00.000Z',
  serialize: (value) => (value instanceof Date ? value.toISOString() : new Date(value).toISOString()),
  parseValue: parseDateTime,
  parseLiteral: (node) => parseDateTime(node.kind === Kind.STRING ? node.value : undefined),
});

function literalValue(node: ValueNode): unknown {
  switch (node.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return node.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(node.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return node.values.map(literalValue);
    case Kind.OBJECT:
      return Object.fromEntries(node.fields.map((field) => [field.name.value, literalValue(field.value)]));
    default:
      throw new GraphQLError('Variables inside JSON literals are not supported', {
        extensions: { code: 'BAD_USER_INPUT' },
      });
  }
}

builder.scalarType('JSON', {
  description: 'Any JSON value, as EMQX sent it or as it will be sent to EMQX',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: literalValue,
});
