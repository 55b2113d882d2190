import { randomBytes } from 'node:crypto';
import { columnsWithExample, eventOfTopic } from '../catalog/rule-events.ts';
import type { V4Context } from '../context.ts';
import { getParam, isJsonObject } from '../http/params.ts';
import { fail, HandlerCrash, ok } from '../http/reply.ts';
import type { V4Call } from '../http/router.ts';

/**
 * `emqx_rule_sqltester:test/1` behind `POST /rules` with `"test": true`: the SQL runs once against the
 * `ctx` columns merged over the example columns of the first FROM event. For message topics the `ctx.topic`
 * must match a FROM filter, otherwise it is `SQL Not Match`.
 */
export function testRuleSql(ctx: V4Context, call: V4Call) {
  const sql = getParam(call.params, 'rawsql');
  const context = getParam(call.params, 'ctx');
  if (typeof sql !== 'string' || !isJsonObject(context))
    throw new HandlerCrash('function_clause: sqltester:test/1');
  const from = /\bFROM\s+"([^"]+)"/i.exec(sql)?.[1] ?? '';
  const event = eventOfTopic(from);
  const examples = Object.fromEntries(
    columnsWithExample(event, ctx.broker.nodeName, ctx.now(), randomBytes(16).toString('hex').toUpperCase()),
  );
  const columns = { ...examples, ...context };
  const source = event === 'message.publish' ? String(context.topic ?? '') : from;
  const result = ctx.broker.rules.test(sql, { event, source, columns });
  if (result.ok) return ok(result.output);
  if (result.reason === 'no_match') return fail(404, 'SQL Not Match');
  return fail(400, `Bad Arguments: ${result.reason}`);
}
