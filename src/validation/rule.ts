import { z } from 'zod';
import type { RuleTestContext, RuleWrite } from '../broker/write-api.ts';
import { qos, topicName } from './mqtt-topic.ts';

/** Rule-engine input: SQL, a version-specific action list, and a sample message for dry runs. */

// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is what is refused
const NUL = /\u0000/;

export const ruleSql = z
  .string()
  .refine((s) => !NUL.test(s), 'sql may not contain NUL')
  .pipe(z.string().trim().min(1, 'sql may not be empty').max(20_000, 'sql is too long'));

/** A rule to create or update. The action shapes differ per version; the adapters check them. */
export const ruleInput = z
  .object({
    sql: ruleSql,
    actions: z.array(z.unknown(), 'actions must be a JSON array').max(32, 'at most 32 actions'),
    name: z.string().max(256, 'name is too long').nullish(),
    description: z.string().max(1024, 'description is too long').nullish(),
    enabled: z.boolean().nullish(),
  })
  .refine((r) => JSON.stringify(r.actions).length <= 65_536, {
    path: ['actions'],
    message: 'actions are too large',
  })
  .transform(
    (r): RuleWrite => ({
      sql: r.sql,
      actions: r.actions,
      name: r.name ?? null,
      description: r.description ?? null,
      enabled: r.enabled ?? null,
    }),
  );

const optionalText = z
  .string()
  .max(1024)
  .nullish()
  .transform((v) => v ?? null);

/** The sample message of a dry run; its payload obeys the publish size limit. */
export const ruleTestMessage = (maxPayloadBytes: number) =>
  z
    .object({
      topic: topicName,
      payload: z.string().max(maxPayloadBytes, 'payload is too large').nullish(),
      clientId: optionalText,
      username: optionalText,
      qos: qos.nullish(),
    })
    .transform((m): RuleTestContext => ({ ...m, payload: m.payload ?? '', qos: m.qos ?? 0 }));
