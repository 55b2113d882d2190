import type { BrokerCore } from '../../broker/core.ts';
import type { RuleEvent } from '../../broker/rules/types.ts';
import { isRecord, objectBody } from '../http/body.ts';
import { ApiError, badRequest, ok } from '../http/reply.ts';
import type { Route } from '../http/router.ts';

/** EMQX's `test_columns` for a message: what a context leaves out. */
const MESSAGE_DEFAULTS = {
  clientid: 'c_emqx',
  username: 'u_emqx',
  topic: 't/a',
  qos: 1,
  payload: '{"msg": "hello"}',
  peerhost: '127.0.0.1',
  flags: { dup: false, retain: false },
  pub_props: { 'User-Property': {} },
};

/** A `/rule_test` context as the event the SQL runs against. */
function contextEvent(context: Record<string, unknown>, now: number, node: string): RuleEvent {
  const type = typeof context.event_type === 'string' ? context.event_type : 'message_publish';
  const base = { id: '0006SIMULATORTEST', timestamp: now, publish_received_at: now, node };
  if (type === 'message_publish') {
    const columns = { ...MESSAGE_DEFAULTS, ...base, ...context, event: 'message.publish' };
    return { event: 'message.publish', source: String(columns.topic), columns };
  }
  const event = type.replace('_', '.');
  return {
    event,
    source: `$events/${type}`,
    columns: { clientid: 'c_emqx', username: 'u_emqx', ...base, ...context, event },
  };
}

function runTest(core: BrokerCore, sql: string, context: unknown, now: number) {
  if (context !== undefined && !isRecord(context)) throw badRequest('Bad Request: context must be an object');
  const result = core.rules.test(sql, contextEvent(context ?? {}, now, core.nodeName));
  if (result.ok) return ok(result.output);
  if (result.reason === 'no_match') throw new ApiError(412, 'NOT_MATCH', 'SQL Not Match');
  throw badRequest(result.reason);
}

/** `POST /rule_test` (any SQL) and `POST /rules/{id}/test` (a stored rule's SQL; actions are not run). */
export function ruleTestRoutes(core: BrokerCore, now: () => number): Route[] {
  return [
    {
      path: '/rule_test',
      methods: {
        POST: ({ request }) => {
          const body = objectBody(request, true);
          if (typeof body.sql !== 'string') throw badRequest('Bad Request: Missing required parameter: sql');
          return runTest(core, body.sql, body.context, now());
        },
      },
    },
    {
      path: '/rules/{id}/test',
      methods: {
        POST: ({ request, params }) => {
          const body = objectBody(request, true);
          const rule = core.rules.get(params.id ?? '');
          if (!rule) throw new ApiError(404, 'RULE_NOT_FOUND', `Rule ${params.id} not found`);
          return runTest(core, rule.sql, body.context, now());
        },
      },
    },
  ];
}
