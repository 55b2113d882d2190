import type { ObjectRef } from '@pothos/core';
import { builder } from '../../builder.ts';
import { MUTATION_ERRORS } from '../../errors.ts';
import { dryRunField, type MaybeDryRun } from '../../write-args.ts';

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

/**
 * The success type of a batch mutation: `results`, one per input item in input order, each either the
 * item's success type or an error type (the `<Name>ItemResult` union), so partial success is explicit.
 * `dryRun: true` adds the `dryRun` field for batches that can be previewed.
 */
export function batchSuccess<T extends object>(
  name: string,
  item: ObjectRef<Types, T>,
  options: { dryRun?: boolean } = {},
) {
  return builder.objectRef<{ results: Array<T | Error> } & MaybeDryRun>(`${name}Success`).implement({
    description: 'One result per item, in the order they were given',
    fields: (t) => ({
      ...(options.dryRun ? { dryRun: dryRunField(t) } : {}),
      results: t.field({
        type: [item],
        itemErrors: { types: MUTATION_ERRORS, union: { name: `${name}ItemResult` } },
        resolve: (batch) => batch.results as T[],
      }),
    }),
  });
}
