import type { V4Context } from '../context.ts';
import { formatSubscription, type SubOption, toSubOption } from '../format/subscription.ts';
import { filenameJoin } from '../format/units.ts';
import { getParam } from '../http/params.ts';
import { HandlerCrash, ok, okPage } from '../http/reply.ts';
import type { V4Call, V4Route } from '../http/router.ts';
import { uriDecode } from '../http/url.ts';
import { limitParam, pageParam, queryPage, toInteger } from '../query/paging.ts';
import { BadValueType, compileQs, type QsCondition, type QsType } from '../query/qs.ts';
import { emqxTopicMatch } from '../query/topic.ts';
import { onNode } from './node-scope.ts';

/** `?SUBS_QS_SCHEMA` (4.4). */
const SUBS_QS_SCHEMA: Readonly<Record<string, QsType>> = {
  clientid: 'binary',
  topic: 'binary',
  share: 'binary',
  qos: 'integer',
  _match_topic: 'binary',
};

const fieldOf = (sub: SubOption, key: string): unknown =>
  key === 'clientid' ? sub.clientid : key === 'topic' ? sub.topic : key === 'share' ? sub.share : sub.qos;

function holds(sub: SubOption, c: QsCondition): boolean {
  if (c.op === 'match') return emqxTopicMatch(sub.topic, String(c.value));
  return fieldOf(sub, c.key) === c.value;
}

/** Without `topic`: the generic query. This API has no `fence`, so a bad `qos` crashes (HTTP 500). */
function query(ctx: V4Context, call: V4Call) {
  let qs: ReturnType<typeof compileQs>;
  try {
    qs = compileQs(call.params, SUBS_QS_SCHEMA);
  } catch (error) {
    if (error instanceof BadValueType) throw new HandlerCrash(error.message);
    throw error;
  }
  const all = ctx.broker.subscriptions().map(toSubOption);
  const rows = all.filter(
    (sub) => qs.exact.every((c) => holds(sub, c)) && qs.fuzzy.every((c) => holds(sub, c)),
  );
  const page = queryPage(call.params, rows, { filtered: qs.filterCount > 0, tableSize: all.length });
  return okPage({ data: page.data.map(formatSubscription), meta: page.meta });
}

/**
 * With `topic`: an exact lookup filtered in memory, with an exact `count` (`add_meta/2`). The topic is
 * url-decoded once more after the query string was decoded, as EMQX does.
 */
function viaTopic(ctx: V4Context, call: V4Call, rawTopic: unknown) {
  const topic = uriDecode(String(rawTopic));
  const qos = getParam(call.params, 'qos');
  const clientid = getParam(call.params, 'clientid');
  const share = getParam(call.params, 'share');
  const prefix = share === undefined ? null : filenameJoin(['$share', String(share)]);
  const data = ctx.broker
    .subscriptions()
    .map(toSubOption)
    .filter((sub) => sub.topic === topic)
    .map(formatSubscription)
    .filter((sub) => qos === undefined || sub.qos === toInteger(qos))
    .filter((sub) => clientid === undefined || sub.clientid === clientid)
    .filter((sub) => prefix === null || String(sub.topic).startsWith(prefix));
  const page = pageParam(call.params);
  const limit = limitParam(call.params);
  const start = (page - 1) * limit + 1;
  if (start < 1 || limit < 0) throw new HandlerCrash('function_clause: lists:sublist/3');
  const meta = { page, limit, hasnext: start + limit - 1 < data.length, count: data.length };
  return okPage({ data: data.slice(start - 1, start - 1 + limit), meta });
}

function list(ctx: V4Context, call: V4Call) {
  const topic = getParam(call.params, 'topic');
  return topic === undefined ? query(ctx, call) : viaTopic(ctx, call, topic);
}

function lookup(ctx: V4Context, call: V4Call) {
  const clientId = uriDecode(call.bindings.clientid!);
  const subs = ctx.broker.subscriptions().filter((sub) => sub.clientId === clientId);
  return ok(subs.map(toSubOption).map(formatSubscription));
}

const APP = 'emqx_management';

/** `emqx_mgmt_api_subscriptions` (4.4). */
export function subscriptionRoutes(ctx: V4Context): V4Route[] {
  return [
    {
      name: 'list_subscriptions',
      method: 'GET',
      path: '/subscriptions/',
      descr: 'A list of subscriptions in the cluster',
      app: APP,
      handler: (call) => list(ctx, call),
    },
    {
      name: 'list_node_subscriptions',
      method: 'GET',
      path: '/nodes/:atom:node/subscriptions/',
      descr: 'A list of subscriptions on a node',
      app: APP,
      handler: (call) => onNode(ctx, call.bindings.node, () => list(ctx, call)),
    },
    {
      name: 'lookup_client_subscriptions',
      method: 'GET',
      path: '/subscriptions/:bin:clientid',
      descr: 'A list of subscriptions of a client',
      app: APP,
      handler: (call) => lookup(ctx, call),
    },
    {
      name: 'lookup_client_subscriptions_with_node',
      method: 'GET',
      path: '/nodes/:atom:node/subscriptions/:bin:clientid',
      descr: 'A list of subscriptions of a client on the node',
      app: APP,
      handler: (call) => onNode(ctx, call.bindings.node, () => lookup(ctx, call)),
    },
  ];
}
