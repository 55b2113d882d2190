import { filterCovers, topicMatches } from './topic.ts';
import type { AuthzRule, AuthzScope, Qos } from './types.ts';

/** One publish or subscribe being authorized. */
export interface AuthzRequest {
  clientId: string;
  username: string | null;
  action: 'publish' | 'subscribe';
  /** Topic name for publish, topic filter for subscribe. */
  topic: string;
  qos: Qos;
  retain: boolean;
}

/**
 * The `built_in_database` authorization source: rule lists per client ID, per username and for all.
 * Rules are tried in that order and the first whose topic/action/qos/retain fit decides; no match means
 * allow (EMQX's `authorization.no_match = allow`).
 */
export interface AuthzStore {
  /** Rule lists of one scope kind, in insertion order. */
  list(kind: 'username' | 'clientid'): { who: string; rules: AuthzRule[] }[];
  get(scope: AuthzScope): AuthzRule[] | undefined;
  has(scope: AuthzScope): boolean;
  /** Replaces the rules of a scope (creating it). */
  set(scope: AuthzScope, rules: AuthzRule[]): void;
  delete(scope: AuthzScope): boolean;
  /** Wipes users, clients and the `all` list. */
  clear(): void;
  check(request: AuthzRequest): { decision: 'allow' | 'deny'; matched: boolean };
}

/** `${username}` / `${clientid}` placeholders, and the `eq ` prefix that disables wildcard matching. */
function ruleTopicFits(rule: AuthzRule, request: AuthzRequest): boolean {
  const fill = (text: string) =>
    text.replace(/\$\{(clientid|username)\}/g, (_, name) =>
      name === 'clientid' ? request.clientId : (request.username ?? ''),
    );
  if (rule.topic.startsWith('eq ')) return fill(rule.topic.slice(3)) === request.topic;
  const filter = fill(rule.topic);
  if (request.action === 'publish') return topicMatches(filter, request.topic);
  return filterCovers(filter, request.topic);
}

function ruleFits(rule: AuthzRule, request: AuthzRequest): boolean {
  if (rule.action !== 'all' && rule.action !== request.action) return false;
  if (!rule.qos.includes(request.qos)) return false;
  if (request.action === 'publish' && rule.retain !== 'all' && rule.retain !== request.retain) return false;
  return ruleTopicFits(rule, request);
}

export function createAuthzStore(): AuthzStore {
  const byUsername = new Map<string, AuthzRule[]>();
  const byClientId = new Map<string, AuthzRule[]>();
  let forAll: AuthzRule[] | undefined;
  const mapOf = (kind: 'username' | 'clientid') => (kind === 'username' ? byUsername : byClientId);
  return {
    list: (kind) => [...mapOf(kind)].map(([who, rules]) => ({ who, rules })),
    get: (scope) => (scope.kind === 'all' ? forAll : mapOf(scope.kind).get(scope.who)),
    has: (scope) => (scope.kind === 'all' ? forAll !== undefined : mapOf(scope.kind).has(scope.who)),
    set(scope, rules) {
      if (scope.kind === 'all') forAll = rules;
      else mapOf(scope.kind).set(scope.who, rules);
    },
    delete(scope) {
      if (scope.kind !== 'all') return mapOf(scope.kind).delete(scope.who);
      const had = forAll !== undefined;
      forAll = undefined;
      return had;
    },
    clear() {
      byUsername.clear();
      byClientId.clear();
      forAll = undefined;
    },
    check(request) {
      const rules = [
        ...(byClientId.get(request.clientId) ?? []),
        ...(request.username === null ? [] : (byUsername.get(request.username) ?? [])),
        ...(forAll ?? []),
      ];
      const rule = rules.find((r) => ruleFits(r, request));
      return rule ? { decision: rule.permission, matched: true } : { decision: 'allow', matched: false };
    },
  };
}
