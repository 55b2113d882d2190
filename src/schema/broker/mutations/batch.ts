import type { ObjectRef } from '@pothos/core';
import { builder } from '../../builder.ts';
import { MUTATION_ERRORS } from '../../errors.ts';

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

/**
 * The success type of a batch mutation: `results`, one per input item in input order, each either the
 * item's success type or an error type (the `<Name>ItemResult` union), so partial success is explicit.
 */
export function batchSuccess<T extends object>(name: string, item: ObjectRef<Types, T>) {
  return builder.objectRef<{ results: Array<T | Error> }>(`${name}Success`).implement({
    description: 'One result per item, in the order they were given',
    fields: (t) => ({
      results: t.field({
        type: [item],
        itemErrors: { types: MUTATION_ERRORS, union: { name: `${name}ItemResult` } },
        resolve: (batch) => batch.results as T[],
      }),
    }),
  });
}
