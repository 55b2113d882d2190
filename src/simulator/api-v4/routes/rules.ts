import { randomBytes } from 'node:crypto';
import type { Rule } from '../../broker/rules/types.ts';
import type { V4Context } from '../context.ts';
import { formatRule, type V4RuleExtra, v4Extra } from '../format/rule.ts';
import { getParam, paramPairs } from '../http/params.ts';
import { fail, ok, okPage } from '../http/reply.ts';
import type { V4Call, V4Route } from '../http/router.ts';
import { queryPage } from '../query/paging.ts';
import { instantiate, parseRuleParams, type RuleParams, RuleRejected, toCoreAction } from './rule-params.ts';
import { compileRuleQs, ruleMatches } from './rule-query.ts';
import { testRuleSql } from './rule-sql-test.ts';

const rejected = (message: string) => fail(400, message);

/** Runs a create/update step; `RuleRejected` becomes `{code:400, message}` inside HTTP 200. */
async function guarded(run: () => ReturnType<V4Route['handler']>) {
  try {
    return await run();
  } catch (error) {
    if (error instanceof RuleRejected) return rejected(error.message);
    throw error;
  }
}

function saveToCore(ctx: V4Context, rule: Rule | undefined, params: RuleParams, create: boolean) {
  const extra: V4RuleExtra = {
    actions: params.actions?.map((a) => instantiate(a, ctx.now())) ?? (rule ? v4Extra(rule).actions : []),
    onActionFailed: params.onActionFailed ?? (rule ? v4Extra(rule).onActionFailed : 'continue'),
  };
  const sql = params.rawsql ?? rule?.sql;
  if (typeof sql !== 'string')
    throw new RuleRejected(`Bad Arguments: {invalid_rawsql,${JSON.stringify(sql ?? null)}}`);
  const definition = {
    id: params.id ?? rule?.id ?? `rule:${randomBytes(4).toString('hex')}`,
    name: rule?.name ?? '',
    sql,
    actions: extra.actions.map(toCoreAction),
    enable: params.enabled ?? rule?.enable ?? true,
    description: String(params.description ?? rule?.description ?? ''),
    extra: { ...rule?.extra, v4: extra },
  };
  const saved = create ? ctx.broker.rules.create(definition) : ctx.broker.rules.upsert(definition);
  if (!saved.ok) throw new RuleRejected(`Bad Arguments: ${saved.reason}`);
  return ok(formatRule(ctx, saved.rule));
}

/** `delegate_create_rule/2`: `"test": true` runs the SQL tester instead. */
function createRule(ctx: V4Context, call: V4Call) {
  const test = getParam(call.params, 'test');
  if (test === true || test === 'true') return testRuleSql(ctx, call);
  return guarded(() => {
    const params = parseRuleParams(paramPairs(call.params), { description: '' });
    if (params.id !== undefined && ctx.broker.rules.get(params.id)) return rejected('Already Exists');
    return saveToCore(ctx, undefined, params, true);
  });
}

function updateRule(ctx: V4Context, call: V4Call) {
  return guarded(() => {
    const params = parseRuleParams(paramPairs(call.params), { id: call.bindings.id! });
    const rule = ctx.broker.rules.get(params.id!);
    if (!rule) return rejected(`Rule ${params.id} Not Found`);
    return saveToCore(ctx, rule, params, false);
  });
}

/** `node_query/5` with a sort on `created_at`, newest first. */
function listRules(ctx: V4Context, call: V4Call) {
  const qs = compileRuleQs(call.params);
  const all = ctx.broker.rules.list();
  const rows = all.filter((rule) => ruleMatches(rule, qs)).sort((a, b) => b.createdAt - a.createdAt);
  const page = queryPage(call.params, rows, { filtered: qs.filterCount > 0, tableSize: all.length });
  return okPage({ data: page.data.map((rule) => formatRule(ctx, rule)), meta: page.meta });
}

function showRule(ctx: V4Context, call: V4Call) {
  const rule = ctx.broker.rules.get(call.bindings.id!);
  return rule ? ok(formatRule(ctx, rule)) : fail(404, 'Not Found');
}

const APP = 'emqx_rule_engine';

/** Rules part of `emqx_rule_engine_api` (4.4); errors are HTTP-like codes inside HTTP 200. */
export function ruleRoutes(ctx: V4Context): V4Route[] {
  return [
    {
      name: 'create_rule',
      method: 'POST',
      path: '/rules/',
      descr: 'Create a rule',
      app: APP,
      handler: (call) => createRule(ctx, call),
    },
    {
      name: 'update_rule',
      method: 'PUT',
      path: '/rules/:bin:id',
      descr: 'Update a rule',
      app: APP,
      handler: (call) => updateRule(ctx, call),
    },
    {
      name: 'list_rules',
      method: 'GET',
      path: '/rules/',
      descr: 'A list of all rules',
      app: APP,
      handler: (call) => listRules(ctx, call),
    },
    {
      name: 'show_rule',
      method: 'GET',
      path: '/rules/:bin:id',
      descr: 'Show a rule',
      app: APP,
      handler: (call) => showRule(ctx, call),
    },
    {
      name: 'delete_rule',
      method: 'DELETE',
      path: '/rules/:bin:id',
      descr: 'Delete a rule',
      app: APP,
      handler: ({ bindings }) => {
        ctx.broker.rules.delete(bindings.id!);
        return ok();
      },
    },
    {
      name: 'reset_metrics',
      method: 'PUT',
      path: '/rules/:bin:id/reset_metrics',
      descr: 'reset a rule metrics',
      app: APP,
      handler: ({ bindings }) => {
        ctx.broker.rules.resetMetrics(bindings.id!);
        return ok();
      },
    },
  ];
}
