import { BadUserInputError } from '../errors.ts';
import { isValidUtf8 } from './text.ts';

/**
 * Building a broker URL path from caller-supplied values. Every value becomes exactly one path segment,
 * and the finished path is checked against the route it was meant for, so no value can ever reach another
 * route (`..`, `a/b`, `%2e%2e`, a stray `?` or `#`), whatever the encoder does.
 */

export interface PathOptions {
  /**
   * Leave `:` and `@` as they are (both are legal in a path segment, RFC 3986 `pchar`). EMQX v4's rule
   * engine looks rule ids up without decoding them, so `rule:1a2b` must arrive with its colon.
   * @default false (encoded as %3A / %40, which EMQX v5 decodes)
   */
  keepColon?: boolean;
}

/** The characters encodeURIComponent leaves alone but which have a meaning in some URL parsers. */
const EXTRA = /[!'()*]/g;

/** Percent-encodes one value as a single path segment (`/` becomes %2F, `%` becomes %25). */
export function pathSegment(value: string, options: PathOptions = {}): string {
  if (!isValidUtf8(value)) throw new BadUserInputError('A path value is not valid UTF-8');
  let encoded = encodeURIComponent(value).replace(
    EXTRA,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  if (options.keepColon) encoded = encoded.replace(/%3A/g, ':').replace(/%40/g, '@');
  return encoded;
}

const isDotSegment = (segment: string) => segment === '.' || segment === '..';

/** Decodes a segment the way a server would, or null when it is not valid percent-encoding. */
function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/**
 * Fills `{name}` placeholders of a route template such as `/banned/{as}/{who}` with encoded values, then
 * verifies the result: same number of segments as the template, literal segments unchanged, each value
 * segment non-empty, not a dot segment, and decoding back to exactly the value given.
 * Throws BAD_USER_INPUT naming the parameter when a value cannot be placed safely.
 */
export function buildPath(
  template: string,
  params: Record<string, string>,
  options: PathOptions = {},
): string {
  const templateSegments = template.split('/');
  const segments = templateSegments.map((part) => {
    const name = part.match(/^\{(\w+)\}$/)?.[1];
    if (!name) return part;
    const value = params[name];
    if (value === undefined) throw new Error(`buildPath: no value for {${name}} in ${template}`);
    if (value.length === 0 || isDotSegment(value)) {
      throw new BadUserInputError(`${name} may not be empty, "." or ".."`, name);
    }
    return pathSegment(value, options);
  });
  const path = segments.join('/');
  verifyPath(path, template, params);
  return path;
}

/** The check that does not trust the encoder: re-split the finished path and compare with the template. */
function verifyPath(path: string, template: string, params: Record<string, string>): void {
  const actual = path.split('/');
  const expected = template.split('/');
  const fail = (name?: string): never => {
    throw new BadUserInputError(
      name ? `${name} cannot be placed safely in the broker URL` : 'Unsafe broker URL',
      name,
    );
  };
  if (actual.length !== expected.length || /[?#\s]/.test(path)) fail();
  expected.forEach((part, i) => {
    const segment = actual[i]!;
    const name = part.match(/^\{(\w+)\}$/)?.[1];
    if (!name) {
      if (segment !== part) fail();
      return;
    }
    const decoded = decodeSegment(segment);
    if (segment.length === 0 || isDotSegment(segment) || decoded !== params[name]) fail(name);
  });
}
