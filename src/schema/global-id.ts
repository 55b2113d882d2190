import { BadUserInputError } from '../errors.ts';

/**
 * Global IDs as Relay's `Node` interface hands them out: base64 of `Typename:id`. Pothos' own decoder throws a
 * plain error for an ID it cannot read, which would surface as INTERNAL_SERVER_ERROR; an ID is caller input
 * (CONTRACT.md §4), so anything that is not one of ours is BAD_USER_INPUT naming the `id` argument.
 */

/** The types that implement `Node` (a schema test keeps this list and the schema in step). */
export const NODE_TYPES: ReadonlySet<string> = new Set(['Deployment', 'MqttClient']);
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

const notOurs = () => new BadUserInputError('id is not a node ID issued by this gateway', 'id');

export function encodeGlobalID(typename: string, id: string | number | bigint): string {
  return Buffer.from(`${typename}:${id}`, 'utf8').toString('base64');
}

export function decodeGlobalID(globalID: string): { typename: string; id: string } {
  if (globalID.length === 0 || globalID.length % 4 !== 0 || !BASE64.test(globalID)) throw notOurs();
  const bytes = Buffer.from(globalID, 'base64');
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  // Bytes that are not UTF-8 did not come from encodeGlobalID (it encodes text, which round-trips).
  if (Buffer.from(text, 'utf8').toString('base64') !== globalID) throw notOurs();
  const colon = text.indexOf(':');
  const typename = text.slice(0, colon);
  const id = text.slice(colon + 1);
  if (colon < 0 || !NODE_TYPES.has(typename) || id.length === 0) throw notOurs();
  return { typename, id };
}
