import type { Client as AedesClient, AedesOptions, AuthenticateError, Subscription } from 'aedes';
import type { AuthzRequest } from './authz.ts';
import { createQos0Watch, deliveryQos, type Qos0Watch, trackInflight } from './inflight.ts';
import { countDelivery, countInboundPackets } from './packet-counters.ts';
import { emptyCounters, socketOf } from './session.ts';
import {
  attachOrigin,
  type CoreState,
  cachedAuthz,
  DENIED_TOPIC,
  normalizeIp,
  rememberAuthz,
} from './state.ts';
import { isEmqxSystemTopic } from './system-messages.ts';
import { parseShared } from './topic.ts';
import type { Qos } from './types.ts';

type Hooks = Required<
  Pick<
    AedesOptions,
    'preConnect' | 'authenticate' | 'authorizePublish' | 'authorizeSubscribe' | 'authorizeForward'
  >
>;

/** MQTT 3.1.1 CONNACK codes: 4 bad username or password, 5 not authorized (also used for bans). */
function connectError(returnCode: 4 | 5, message: string): AuthenticateError {
  return Object.assign(new Error(message), { returnCode }) as AuthenticateError;
}

function isSuperuser(state: CoreState, client: AedesClient): boolean {
  return state.sessions.get(client.id)?.isSuperuser ?? state.pending.get(client)?.isSuperuser ?? false;
}

function usernameOf(state: CoreState, client: AedesClient): string | null {
  return state.pending.get(client)?.username ?? state.sessions.get(client.id)?.username ?? null;
}

function authenticateHook(state: CoreState): Hooks['authenticate'] {
  return (client, username, password, done) => {
    state.metrics.inc('client.connect');
    state.metrics.inc('client.authenticate');
    const subject = {
      clientId: client.id,
      username: username ?? null,
      peerhost: normalizeIp(socketOf(client).remoteAddress),
    };
    if (state.bans.check(subject)) {
      state.metrics.inc('packets.connack.auth_error');
      return done(connectError(5, 'banned'), false);
    }
    const verdict = state.authn.check(username ?? null, password ?? null);
    if (verdict.result === 'deny') {
      state.metrics.inc('authentication.failure');
      state.metrics.inc('packets.connack.auth_error');
      return done(connectError(verdict.reason === 'bad_password' ? 4 : 5, verdict.reason), false);
    }
    const pending = state.pending.get(client);
    if (pending) pending.isSuperuser = verdict.result === 'allow' && verdict.isSuperuser;
    state.metrics.inc(
      verdict.result === 'anonymous' ? 'authentication.success.anonymous' : 'authentication.success',
    );
    if (verdict.result === 'anonymous') state.metrics.inc('client.auth.anonymous');
    markTakeover(state, client);
    done(null, true);
  };
}

/** A second connection with a live session's client ID closes the first: `discarded` when it starts clean. */
function markTakeover(state: CoreState, client: AedesClient): void {
  const previous = state.sessions.get(client.id)?.connection;
  if (!previous || previous === client) return;
  const clean = state.pending.get(client)?.clean ?? true;
  state.disconnectReasons.set(previous, clean ? 'discarded' : 'takenover');
}

/**
 * The last rule of EMQX's default `acl.conf`, `{deny, all, subscribe, ["$SYS/#", ...]}`: a `$SYS/` filter
 * needs a rule of the client's own that allows it (or a superuser); a filter starting with a wildcard never
 * matches a `$` topic, so it needs none.
 */
const needsExplicitGrant = (action: 'publish' | 'subscribe', topic: string) =>
  action === 'subscribe' && topic.startsWith('$SYS/');

function evaluate(
  state: CoreState,
  client: AedesClient,
  request: Omit<AuthzRequest, 'clientId' | 'username'>,
) {
  state.metrics.inc('client.authorize');
  if (isSuperuser(state, client)) {
    state.metrics.inc('authorization.superuser');
    return 'allow';
  }
  const checked = state.authz.check({
    ...request,
    clientId: client.id,
    username: usernameOf(state, client),
  });
  const { decision, matched } =
    checked.matched || !needsExplicitGrant(request.action, request.topic)
      ? checked
      : { decision: 'deny' as const, matched: true };
  state.metrics.inc(matched ? `authorization.matched.${decision}` : 'authorization.nomatch');
  return decision;
}

/** `emqx_access_control:authorize/3`: the client's cache first, then the superuser flag and the rules. */
function decide(
  state: CoreState,
  client: AedesClient,
  action: 'publish' | 'subscribe',
  topic: string,
  qos: Qos,
  retain: boolean,
) {
  const cached = cachedAuthz(state, client.id, action, topic);
  if (cached) state.metrics.inc('authorization.cache_hit');
  const decision = cached?.result ?? evaluate(state, client, { action, topic, qos, retain });
  state.metrics.inc(decision === 'allow' ? 'authorization.allow' : 'authorization.deny');
  if (!cached)
    rememberAuthz(state, client.id, { access: action, result: decision, topic, updatedTime: state.now() });
  return decision;
}

function preConnectHook(state: CoreState, qos0: Qos0Watch): Hooks['preConnect'] {
  return (client, packet, callback) => {
    qos0.watch(client);
    const counters = emptyCounters();
    state.pending.set(client, {
      username: packet.username ?? null,
      protoName: packet.protocolId ?? 'MQTT',
      protoVer: packet.protocolVersion ?? 4,
      keepalive: packet.keepalive ?? 0,
      clean: packet.clean ?? true,
      counters,
      isSuperuser: false,
    });
    countInboundPackets(state, client, counters);
    callback(null, true);
  };
}

/** Denied publishes are diverted and dropped (EMQX `deny_action = ignore`): the client stays connected. */
function authorizePublishHook(state: CoreState): Hooks['authorizePublish'] {
  return (client, packet, callback) => {
    if (!client) return callback(null);
    const system = packet.topic.startsWith('$SYS/');
    if (system || decide(state, client, 'publish', packet.topic, packet.qos, packet.retain) === 'deny') {
      state.metrics.inc('packets.publish.auth_error');
      packet.topic = DENIED_TOPIC;
      packet.retain = false;
      return callback(null);
    }
    const origin = { id: state.nextMessageId(), publishAt: state.now(), fromClientId: client.id };
    attachOrigin(state, packet, { ...origin, fromUsername: usernameOf(state, client) });
    callback(null);
  };
}

/** `$share/<group>/` is stripped for aedes (which has no shared subscriptions); denials are SUBACK 0x80. */
function authorizeSubscribeHook(state: CoreState): Hooks['authorizeSubscribe'] {
  return (client, sub: Subscription, callback) => {
    const { group, filter } = parseShared(sub.topic);
    if (group !== null) {
      state.shareGroups.set(sub, group);
      sub.topic = filter;
    }
    if (state.apiSubscriptions.has(sub)) return callback(null, sub);
    if (decide(state, client, 'subscribe', filter, sub.qos as Qos, false) === 'deny') {
      state.metrics.inc('packets.subscribe.auth_error');
      return callback(null, null);
    }
    callback(null, sub);
  };
}

/** The aedes hooks that enforce bans, built-in authentication and built-in authorization. */
export function createAccessHooks(state: CoreState): Hooks {
  const qos0 = createQos0Watch();
  return {
    preConnect: preConnectHook(state, qos0),
    authenticate: authenticateHook(state),
    authorizePublish: authorizePublishHook(state),
    authorizeSubscribe: authorizeSubscribeHook(state),
    // aedes announces itself under `$SYS/<aedes id>/`; EMQX has no such topics, so no client may see them.
    authorizeForward(client, packet) {
      if (packet.topic.startsWith('$SYS/') && !isEmqxSystemTopic(packet.topic)) return null;
      const qos = deliveryQos(client, packet, qos0.has(client));
      countDelivery(state, client, qos);
      return qos === 0 ? packet : trackInflight(state, client, packet, qos);
    },
  };
}
