import type { ExpectedError } from '../errors.ts';
import type { PublishMessage } from '../validation/payload.ts';
import type { Ban, BanKind, Rule } from './model.ts';

/**
 * What the schema can change on a deployment's broker, in domain terms (issue 5). Inputs arrive already
 * validated (src/validation/). Every method is one or more writes that are never retried: a write that got
 * no answer throws OUTCOME_UNKNOWN. A method a version lacks throws NOT_SUPPORTED before any call.
 * Batch methods answer one entry per item, in input order: the item's result or its ExpectedError.
 */

export interface PublishOutcome {
  topic: string;
  /** EMQX's message id when it reports one. */
  messageId: string | null;
  /** v5: false when nobody was subscribed (HTTP 202, reason code 16); v4 cannot tell (null). */
  delivered: boolean | null;
}

export type ItemResult<T> = T | ExpectedError;

export interface KickOutcome {
  clientId: string;
  /** True when EMQX confirmed it disconnected this client; null when it only accepted the request (v5 bulk). */
  wasConnected: boolean | null;
}

export interface SubscriptionChange {
  clientId: string;
  topic: string;
  qos: number | null;
}

export interface RuleWrite {
  sql: string;
  /** Version-specific action list (v4 `[{name, params}]`, v5 `["type:name" | {function, args}]`). */
  actions: unknown[];
  name: string | null;
  description: string | null;
  /** null: leave as it is (update) or EMQX's default, enabled (create). */
  enabled: boolean | null;
}

/** A sample message to test a rule's SQL against, as `message.publish` / `message_publish` sees it. */
export interface RuleTestContext {
  topic: string;
  payload: string;
  clientId: string | null;
  username: string | null;
  qos: number;
}

export interface RuleTestOutcome {
  /** False when the SQL did not select the sample (v4 code 404, v5 412 "SQL Not Match"). */
  matched: boolean;
  output: unknown;
}

export interface BanWrite {
  kind: BanKind;
  who: string;
  reason: string | null;
  /** null: never expires. */
  until: Date | null;
  /** Who placed it, as EMQX's `by` shows it. */
  by: string;
}

export interface ImportOutcome {
  /** Counts from EMQX ≥ 5.8.2; null from older brokers, which answer 204 without a body. */
  total: number | null;
  success: number | null;
  override: number | null;
  skipped: number | null;
  failed: number | null;
}

export interface AuthnUserWrite {
  userId: string;
  password: string;
  isSuperuser: boolean;
}

export interface AuthnUserView {
  userId: string;
  isSuperuser: boolean;
}

export type AuthzTarget =
  | { kind: 'USERNAME'; who: string }
  | { kind: 'CLIENT_ID'; who: string }
  | { kind: 'ALL'; who: null };

/** A rule to store; `qos: null` lets EMQX apply it to every QoS. */
export interface AuthzRuleWrite {
  topic: string;
  permission: 'allow' | 'deny';
  action: 'publish' | 'subscribe' | 'all';
  /** null: every QoS. */
  qos: number[] | null;
  /** null: retained or not. */
  retain: boolean | null;
}

export interface BrokerWriteApi {
  /** v4 `POST /mqtt/publish`, v5 `POST /publish`. */
  publish(message: PublishMessage): Promise<PublishOutcome>;
  /** v4 `POST /mqtt/publish_batch`, v5 `POST /publish/bulk`. */
  publishBatch(messages: PublishMessage[]): Promise<Array<ItemResult<PublishOutcome>>>;
  /** v4/v5 `DELETE /clients/{clientid}`; an unknown client is NOT_FOUND. */
  kickClient(clientId: string): Promise<KickOutcome>;
  /** v4: `DELETE /clients/{clientid}` each; v5 `POST /clients/kickout/bulk`. */
  kickClients(clientIds: string[]): Promise<Array<ItemResult<KickOutcome>>>;
  /** v4 `POST /mqtt/subscribe`, v5 `POST /clients/{clientid}/subscribe`; an unknown client is NOT_FOUND. */
  subscribe(clientId: string, topic: string, qos: number): Promise<SubscriptionChange>;
  /** v4 `POST /mqtt/unsubscribe`, v5 `POST /clients/{clientid}/unsubscribe`. */
  unsubscribe(clientId: string, topic: string): Promise<SubscriptionChange>;
  /** v4 `POST /mqtt/subscribe_batch`, v5 `POST /clients/{clientid}/subscribe/bulk`. */
  subscribeMany(
    clientId: string,
    topics: Array<{ topic: string; qos: number }>,
  ): Promise<Array<ItemResult<SubscriptionChange>>>;
  /** v4 `POST /mqtt/unsubscribe_batch`, v5 `POST /clients/{clientid}/unsubscribe/bulk`. */
  unsubscribeMany(clientId: string, topics: string[]): Promise<Array<ItemResult<SubscriptionChange>>>;
  /** v4/v5 `POST /rules`; `id` chosen by the caller, or by EMQX when null. */
  createRule(id: string | null, rule: RuleWrite): Promise<Rule>;
  /** v4/v5 `PUT /rules/{id}` after reading the rule (v5 PUT would create an unknown id). */
  updateRule(id: string, rule: RuleWrite): Promise<Rule>;
  /** v4/v5 `DELETE /rules/{id}`. */
  deleteRule(id: string): Promise<void>;
  /** v4 `PUT /rules/{id}` `{enabled}`; v5 reads the rule and `PUT`s it whole with `enable`. */
  setRuleEnabled(id: string, enabled: boolean): Promise<Rule>;
  /** v4 `PUT /rules/{id}/reset_metrics`, v5 `PUT /rules/{id}/metrics/reset`. */
  resetRuleMetrics(id: string): Promise<void>;
  /** v4 `POST /rules` with `test: true`, v5 `POST /rule_test`; nothing is saved. */
  testRuleSql(sql: string, context: RuleTestContext): Promise<RuleTestOutcome>;
  /** v4/v5 `POST /banned`; v4 supports CLIENT_ID, USERNAME and PEER_HOST only. */
  createBan(ban: BanWrite): Promise<Ban>;
  /** v4/v5 `DELETE /banned/{as}/{who}`. */
  deleteBan(kind: BanKind, who: string): Promise<void>;
  /** v5 `DELETE /banned`; v4: NOT_SUPPORTED. */
  clearBans(): Promise<void>;
  /** v5 `DELETE /mqtt/retainer/message/{topic}`; v4 publishes an empty retained message (MQTT §3.3.1.3). */
  deleteRetained(topic: string): Promise<void>;
  /** v5 `POST /authentication/password_based:built_in_database/users`; v4: NOT_SUPPORTED. */
  createAuthnUser(user: AuthnUserWrite): Promise<AuthnUserView>;
  /** v5 `PUT …/users/{user_id}`. */
  updateAuthnUser(user: {
    userId: string;
    password: string;
    isSuperuser: boolean | null;
  }): Promise<AuthnUserView>;
  /** v5 `DELETE …/users/{user_id}`. */
  deleteAuthnUser(userId: string): Promise<void>;
  /** v5 `POST …/import_users?type=plain` with a JSON array. */
  importAuthnUsers(users: AuthnUserWrite[]): Promise<ImportOutcome>;
  /** v5 `PUT …/rules/users/{username}`, `PUT …/rules/clients/{clientid}`, `POST …/rules/all`. */
  setAuthzRules(target: AuthzTarget, rules: AuthzRuleWrite[]): Promise<void>;
  /** v5 `DELETE …/rules/users/{username}`, `…/clients/{clientid}`, `…/all`. */
  deleteAuthzRules(target: AuthzTarget): Promise<void>;
}

/** Writes that keep a running broker in shape: caches, retained store, plugins, rule checks, authz wipe. */
export interface BrokerMaintenanceApi {
  /**
   * Drops cached authorization decisions, so the next publish or subscribe is checked against the rules.
   * One client (NOT_FOUND when it is not connected): v4 `DELETE /clients/{clientid}/acl_cache`, v5
   * `DELETE /clients/{clientid}/authorization/cache`. Every client (null): v4 `DELETE /acl-cache`, v5
   * `DELETE /authorization/cache`.
   */
  clearAuthorizationCache(clientId: string | null): Promise<void>;
  /** v5 `DELETE /mqtt/retainer/messages` (every retained message); v4: NOT_SUPPORTED. */
  clearRetainedMessages(): Promise<void>;
  /**
   * v4 `PUT /nodes/{node}/plugins/{plugin}/load|unload`; `changed` is false when the plugin already was in
   * that state (`already_started` / `not_started`). An unknown node or plugin is NOT_FOUND. v5: NOT_SUPPORTED.
   */
  setPluginEnabled(node: string, plugin: string, enabled: boolean): Promise<{ changed: boolean }>;
  /** v4 `PUT /nodes/{node}/plugins/{plugin}/reload`; v5: NOT_SUPPORTED. */
  reloadPlugin(node: string, plugin: string): Promise<void>;
  /**
   * Runs a stored rule's SQL against a sample message; its actions only render their templates.
   * v5 `POST /rules/{id}/test` with `stop_action_after_template_rendering: true`; v4: NOT_SUPPORTED.
   */
  testRule(id: string, context: RuleTestContext): Promise<RuleTestOutcome>;
  /** v5 `DELETE /authorization/sources/built_in_database/rules` (users, clients and all); v4: NOT_SUPPORTED. */
  clearAuthzRules(): Promise<void>;
}
