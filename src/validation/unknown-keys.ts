import type { z } from 'zod';

/** A key the schema does not know: its dotted path, and a near miss among its siblings when there is one. */
export interface UnknownKey {
  path: string;
  didYouMean: string | null;
}

/**
 * Keys of a document that its schema does not know. zod strips unknown keys quietly, so a
 * typo such as `cache.brokerTtlSecnds` would leave the default in force with nobody told; walking the schema
 * beside the document finds it in every section, including sections added later, without each object having
 * to be declared strict. Objects declared loose (a catch-all) accept anything.
 */
export function unknownKeys(schema: z.ZodType, value: unknown, path: readonly string[] = []): UnknownKey[] {
  const def = (schema as unknown as { _zod: { def: SchemaDef } })._zod.def;
  switch (def.type) {
    case 'default':
    case 'prefault':
    case 'optional':
    case 'nullable':
    case 'readonly':
    case 'catch':
      return unknownKeys(def.innerType as z.ZodType, value, path);
    case 'pipe':
      return unknownKeys(def.in as z.ZodType, value, path);
    case 'object':
      return isRecord(value) ? objectKeys(def, value, path) : [];
    case 'record':
      return isRecord(value)
        ? Object.entries(value).flatMap(([key, item]) =>
            unknownKeys(def.valueType as z.ZodType, item, [...path, key]),
          )
        : [];
    case 'array':
      return Array.isArray(value)
        ? value.flatMap((item, i) => unknownKeys(def.element as z.ZodType, item, [...path, String(i)]))
        : [];
    case 'union': {
      // The option the value satisfies decides which keys exist; when none does, the parse error says why.
      const option = (def.options as z.ZodType[]).find((o) => o.safeParse(value).success);
      return option ? unknownKeys(option, value, path) : [];
    }
    default:
      return [];
  }
}

interface SchemaDef {
  type: string;
  innerType?: unknown;
  in?: unknown;
  shape?: Record<string, z.ZodType>;
  catchall?: unknown;
  valueType?: unknown;
  element?: unknown;
  options?: unknown;
}

function objectKeys(def: SchemaDef, value: Record<string, unknown>, path: readonly string[]): UnknownKey[] {
  const shape = def.shape ?? {};
  const catchall = (def.catchall as { _zod?: { def: { type: string } } } | undefined)?._zod?.def.type;
  const loose = catchall !== undefined && catchall !== 'never';
  return Object.entries(value).flatMap(([key, item]) => {
    const field = shape[key];
    if (field) return unknownKeys(field, item, [...path, key]);
    return loose ? [] : [{ path: [...path, key].join('.'), didYouMean: nearest(key, Object.keys(shape)) }];
  });
}

/** The known key a typo most likely meant, if one is close enough. */
function nearest(key: string, known: readonly string[]): string | null {
  const scored = known.map((k) => [k, distance(key.toLowerCase(), k.toLowerCase())] as const);
  const best = scored.sort((a, b) => a[1] - b[1])[0];
  return best && best[1] <= Math.max(2, Math.floor(key.length / 4)) ? best[0] : null;
}

/** Levenshtein distance; keys are short, so the plain table is fine. */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length]!;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Every setting a schema accepts, as dotted paths (`<key>` for a record's keys, `[]` for a list's items), for
 * checking that each one is documented.
 */
export function settingPaths(schema: z.ZodType, path: readonly string[] = []): string[] {
  const def = (schema as unknown as { _zod: { def: SchemaDef } })._zod.def;
  switch (def.type) {
    case 'default':
    case 'prefault':
    case 'optional':
    case 'nullable':
    case 'readonly':
    case 'catch':
      return settingPaths(def.innerType as z.ZodType, path);
    case 'pipe':
      return settingPaths(def.in as z.ZodType, path);
    case 'object':
      return Object.entries(def.shape ?? {}).flatMap(([key, field]) => settingPaths(field, [...path, key]));
    case 'record':
      return settingPaths(def.valueType as z.ZodType, [...path, '<key>']);
    case 'union':
      return [...new Set((def.options as z.ZodType[]).flatMap((o) => settingPaths(o, path)))];
    case 'array': {
      const items = settingPaths(def.element as z.ZodType, [...path.slice(0, -1), `${path.at(-1)}[]`]);
      return items.some((p) => p.endsWith('[]')) ? [path.join('.')] : items;
    }
    default:
      return [path.join('.')];
  }
}
