import { isIP } from 'node:net';

/**
 * Which writes are broad (CONTRACT §6): those that act on a whole deployment or on what every client sees,
 * rather than on one named client, user or topic. One entry per mutation field that can be broad; each answers
 * why the given (already validated) arguments are broad, or null for a narrow write. Fields without an entry
 * are never broad.
 */

type Reason = string | null;
type BroadCheck = (args: never) => Reason;

const SHORTEST_NARROW_PREFIX = { 4: 16, 6: 48 } as const;

/** `::ffff:a.b.c.d/p` covers the IPv4 net `a.b.c.d/(p-96)`: EMQX matches IPv4 clients against it too. */
function cidrReason(cidr: string): Reason {
  const [address = '', prefixText = ''] = cidr.split('/');
  const prefix = Number(prefixText);
  const mapped = address.toLowerCase().match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/);
  const family = mapped ? 4 : isIP(address);
  if (family !== 4 && family !== 6) return null;
  const bits = mapped ? prefix - 96 : prefix;
  const shortest = SHORTEST_NARROW_PREFIX[family];
  return bits < shortest ? `a network wider than /${shortest} (IPv${family})` : null;
}

const isSysTopic = (topic: string) => topic === '$SYS' || topic.startsWith('$SYS/');
/** A template that starts with a placeholder (`${topic}/x`) can expand to a `$SYS/` topic. */
const mayBeSysTopic = (topic: unknown) =>
  typeof topic !== 'string' || isSysTopic(topic) || topic.startsWith('${');

/** v5 `{function, args}`, a v5 `"type:name"` reference, or v4 `{name, params, fallbacks}`. */
function actionReason(action: unknown): Reason {
  if (typeof action === 'string') return `action ${action.slice(0, 64)} sends data out of the broker`;
  if (!action || typeof action !== 'object') return 'an action of unknown shape';
  const a = action as Record<string, unknown>;
  const kind = typeof a.function === 'string' ? a.function : typeof a.name === 'string' ? a.name : null;
  const params = (a.args ?? a.params ?? {}) as Record<string, unknown>;
  if (kind === 'republish') {
    const topic = params.topic ?? params.target_topic;
    if (mayBeSysTopic(topic)) return 'a republish that may target $SYS/';
  } else if (kind !== 'console' && kind !== 'inspect' && kind !== 'do_nothing') {
    return `action ${String(kind).slice(0, 64)} sends data out of the broker`;
  }
  const fallbacks = Array.isArray(a.fallbacks) ? a.fallbacks : [];
  return fallbacks.map(actionReason).find((reason) => reason !== null) ?? null;
}

const rulesReason = (args: { input: { actions: unknown[] } }): Reason =>
  args.input.actions.map(actionReason).find((reason) => reason !== null) ?? null;

const BAN_REASONS: Record<string, string> = {
  CLIENT_ID_REGEX: 'a client ID pattern',
  USERNAME_REGEX: 'a username pattern',
};

/** Connector types that bring data in (consumers) rather than send it out. */
const INBOUND = /_consumer$/;
const typeOfId = (id: string) => id.slice(0, Math.max(0, id.indexOf(':')));
/** A data integration that sends data out of the broker (any type but an inbound consumer). */
const outbound = (type: string): Reason =>
  INBOUND.test(type) ? null : `a data path out of the broker (${type})`;

export const BROAD_WRITES = {
  clearBans: () => 'every ban of the deployment',
  clearRetainedMessages: () => 'every retained message of the deployment',
  clearAuthzRules: () => 'every authorization rule of the deployment',
  createBan: (args: { input: { kind: string; who: string } }): Reason =>
    BAN_REASONS[args.input.kind] ?? (args.input.kind === 'PEER_HOST_NET' ? cidrReason(args.input.who) : null),
  setAuthzRules: (args: { target: { kind: string } }): Reason =>
    args.target.kind === 'ALL' ? 'the rules of every client' : null,
  deleteAuthzRules: (args: { target: { kind: string } }): Reason =>
    args.target.kind === 'ALL' ? 'the rules of every client' : null,
  publish: (args: { input: { topic: string } }): Reason =>
    isSysTopic(args.input.topic) ? 'a $SYS/ topic' : null,
  publishBatch: (args: { messages: Array<{ topic: string }> }): Reason =>
    args.messages.some((m) => isSysTopic(m.topic)) ? 'a $SYS/ topic' : null,
  createRule: rulesReason,
  updateRule: rulesReason,
  createAction: (args: { input: { type: string } }): Reason => outbound(args.input.type),
  updateAction: (args: { id: string }): Reason => outbound(typeOfId(args.id)),
  setActionEnabled: (args: { id: string; enabled: boolean }): Reason =>
    args.enabled ? outbound(typeOfId(args.id)) : null,
  createConnector: (args: { input: { type: string } }): Reason => outbound(args.input.type),
  updateConnector: (args: { id: string }): Reason => outbound(typeOfId(args.id)),
  setConnectorEnabled: (args: { id: string; enabled: boolean }): Reason =>
    args.enabled ? outbound(typeOfId(args.id)) : null,
  createResource: (args: { input: { type: string } }): Reason => outbound(args.input.type),
} satisfies Record<string, BroadCheck>;

export type BroadOperation = keyof typeof BROAD_WRITES;

/** Why this write is broad, or null. */
export function broadReason(operation: string, args: unknown): Reason {
  const check = (BROAD_WRITES as Record<string, (args: unknown) => Reason>)[operation];
  return check ? check(args) : null;
}
