import type { BrokerCore } from '../../broker/core.ts';
import type { RuleEngine } from '../../broker/rules/engine.ts';
import type { Rule, RuleDefinition } from '../../broker/rules/types.ts';
import { filterCovers } from '../../broker/topic.ts';
import { formatRule, formatRuleMetrics, parseAction } from '../format/rule.ts';
import { isRecord, objectBody } from '../http/body.ts';
import { queryPage } from '../http/paging.ts';
import { all, boolean, first, pageParams } from '../http/query.ts';
import { badRequest, created, noContent, notFound, ok } from '../http/reply.ts';
import type { Route } from '../http/router.ts';

const ruleNotFound = () => notFound('NOT_FOUND', 'Rule Id Not Found');

function optionalString(body: Record<string, unknown>, name: string, fallback: string): string {
  const value = body[name] ?? fallback;
  if (typeof value !== 'string') throw badRequest(`Bad Request: ${name} expected type is string`);
  return value;
}

/** The `rule_creation` schema: `sql` required, the rest defaulted. */
function parseRule(body: Record<string, unknown>): Omit<RuleDefinition, 'id'> {
  if (typeof body.sql !== 'string') throw badRequest('Bad Request: Missing required parameter: sql');
  const rawActions = body.actions ?? [];
  if (!Array.isArray(rawActions)) throw badRequest('Bad Request: actions expected type is array');
  const enable = body.enable ?? true;
  if (typeof enable !== 'boolean') throw badRequest('Bad Request: enable expected type is boolean');
  return {
    name: optionalString(body, 'name', ''),
    sql: body.sql,
    actions: rawActions.map(parseAction),
    enable,
    description: optionalString(body, 'description', ''),
    extra: { rawActions, metadata: isRecord(body.metadata) ? body.metadata : {} },
  };
}

function ruleFilter(query: URLSearchParams): { matches: (rule: Rule) => boolean; fuzzy: boolean } {
  const enable = boolean(query, 'enable');
  const from = first(query, 'from');
  const likes = {
    id: first(query, 'like_id'),
    from: first(query, 'like_from'),
    description: first(query, 'like_description'),
  };
  const matchFrom = first(query, 'match_from');
  const actions = all(query, 'action');
  const sources = all(query, 'source');
  const refs = (rule: Rule) => rule.actions.flatMap((a) => (a.kind === 'reference' ? [a.ref] : []));
  const checks: ((rule: Rule) => boolean)[] = [
    (r) => enable === undefined || r.enable === enable,
    (r) => from === undefined || r.from.includes(from),
    (r) => likes.id === undefined || r.id.includes(likes.id),
    (r) => likes.from === undefined || r.from.some((f) => f.includes(likes.from ?? '')),
    (r) => likes.description === undefined || r.description.includes(likes.description),
    (r) => matchFrom === undefined || r.from.some((f) => filterCovers(matchFrom, f)),
    (r) => actions.length === 0 || refs(r).some((ref) => actions.includes(ref)),
    (r) =>
      sources.length === 0 ||
      r.from.some((f) => sources.some((s) => f === `$bridges/${s}` || f === `$sources/${s}`)),
  ];
  const fuzzy = [likes.id, likes.from, likes.description, matchFrom].some((v) => v !== undefined);
  return { matches: (rule) => checks.every((check) => check(rule)), fuzzy };
}

function saved(result: ReturnType<RuleEngine['create']>): Rule {
  if (!result.ok) throw badRequest(result.reason);
  return result.rule;
}

/** `/rules` CRUD and metrics; every body must be `application/json` (415 otherwise). */
export function ruleRoutes(core: BrokerCore): Route[] {
  const find = (id: string | undefined) => {
    const rule = core.rules.get(id ?? '');
    if (!rule) throw ruleNotFound();
    return rule;
  };
  return [
    {
      path: '/rules',
      methods: {
        GET: ({ query }) => {
          const page = pageParams(query);
          const { matches, fuzzy } = ruleFilter(query);
          const { data, meta } = queryPage(core.rules.list().filter(matches), page, !fuzzy);
          return ok({ data: data.map(formatRule), meta });
        },
        POST: ({ request }) => {
          const body = objectBody(request, true);
          if (body.id !== undefined && typeof body.id !== 'string')
            throw badRequest('Bad Request: id expected type is string');
          const definition = {
            ...parseRule(body),
            ...(body.id === undefined ? {} : { id: body.id as string }),
          };
          return created(formatRule(saved(core.rules.create(definition))));
        },
      },
    },
    {
      path: '/rules/{id}',
      methods: {
        GET: ({ params }) => ok(formatRule(find(params.id))),
        // 5.x upserts here; 6.0 answers 404 for unknown ids.
        PUT: ({ request, params }) => {
          const definition = { ...parseRule(objectBody(request, true)), id: params.id ?? '' };
          return ok(formatRule(saved(core.rules.upsert(definition))));
        },
        DELETE: ({ params }) => {
          if (!core.rules.delete(params.id ?? '')) throw ruleNotFound();
          return noContent();
        },
      },
    },
    {
      path: '/rules/{id}/metrics',
      methods: {
        GET: ({ params }) => {
          const rule = find(params.id);
          const metrics = core.rules.metrics(rule.id);
          if (!metrics) throw ruleNotFound();
          return ok(formatRuleMetrics(rule.id, metrics, core.nodeName));
        },
      },
    },
    {
      path: '/rules/{id}/metrics/reset',
      methods: {
        PUT: ({ params }) => {
          if (!core.rules.resetMetrics(params.id ?? '')) throw ruleNotFound();
          return noContent();
        },
      },
    },
  ];
}
