import type { ArgBuilder } from '@pothos/core';
import { z } from 'zod';
import { justificationArg, MAX_JUSTIFICATION } from '../security/write-policy.ts';
import type { builder } from './builder.ts';

/**
 * The arguments every mutation shares (CONTRACT §6): `idempotencyKey` on all of them, `dryRun` on those that
 * can be previewed, `justification` on those that can be broad. The pipeline that reads them is
 * write-mutation.ts; a schema test checks that every Mutation field has `idempotencyKey`.
 */

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

export interface WriteArgOptions {
  /** The field answers `dryRun: true` without writing (its success type needs `dryRunField`). */
  dryRun?: boolean;
  /** The field can be a broad write (src/security/broad-writes.ts). */
  justification?: boolean;
}

export const writeArgs = (t: ArgBuilder<Types>, options: WriteArgOptions = {}) => ({
  idempotencyKey: t.string({
    description:
      '1–128 of A-Za-z0-9._:- chosen by the caller: a repeat with the same key and arguments answers the ' +
      'first result again without acting twice, on any replica (security.idempotencyTtlSeconds)',
  }),
  ...(options.dryRun
    ? {
        dryRun: t.boolean({
          description: 'true: check and preview only; nothing is written and the answer says dryRun: true',
        }),
      }
    : {}),
  ...(options.justification
    ? {
        justification: t.string({
          description: `why (at most ${MAX_JUSTIFICATION} characters); required, with the admin role, when the write is broad`,
        }),
      }
    : {}),
});

const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{1,128}$/;

/** The shared arguments as the pipeline reads them; a field without one of them reads it as absent. */
export const writeOptions = z.object({
  idempotencyKey: z
    .string()
    .regex(IDEMPOTENCY_KEY, 'idempotencyKey must be 1–128 of A-Za-z0-9._:-')
    .nullish()
    .transform((key) => key ?? null),
  dryRun: z
    .boolean()
    .nullish()
    .transform((dry) => dry === true),
  justification: justificationArg,
});

export type WriteOptions = z.output<typeof writeOptions>;

/** Results of a dry run carry this flag; every other result answers false. */
export interface MaybeDryRun {
  dryRun?: boolean;
}

/** The `dryRun: Boolean!` field of a success type that can be previewed. */
export const dryRunField = (t: PothosSchemaTypes.ObjectFieldBuilder<Types, MaybeDryRun>) =>
  t.boolean({
    description: 'true: nothing was written; the rest of the answer says what the write would do',
    resolve: (result) => result.dryRun === true,
  });
