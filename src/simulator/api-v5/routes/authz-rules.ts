import type { BrokerCore } from '../../broker/core.ts';
import { formatAuthzRule, parseAuthzRules } from '../format/authz.ts';
import { arrayBody, isRecord, objectBody } from '../http/body.ts';
import { queryPage } from '../http/paging.ts';
import { first, pageParams } from '../http/query.ts';
import { ApiError, badRequest, noContent, notFound, ok } from '../http/reply.ts';
import type { Route } from '../http/router.ts';

const PREFIX = '/authorization/sources/built_in_database/rules';
const ruleNotFound = () => notFound('NOT_FOUND', 'Not Found');

/** `users` keyed by `username`, `clients` keyed by `clientid`: the same five endpoints each. */
function scopeRoutes(core: BrokerCore, segment: 'users' | 'clients'): Route[] {
  const kind = segment === 'users' ? 'username' : 'clientid';
  const key = kind;
  const label = segment === 'users' ? 'User' : 'Client';
  const scope = (who: string) => ({ kind, who }) as const;
  const format = (who: string, rules: ReturnType<typeof core.authz.list>[number]['rules']) => ({
    [key]: who,
    rules: rules.map(formatAuthzRule),
  });
  const entry = (raw: unknown) => {
    if (!isRecord(raw) || typeof raw[key] !== 'string')
      throw badRequest(`Missing required parameter: ${key}`);
    return { who: raw[key] as string, rules: parseAuthzRules(raw.rules ?? []) };
  };
  return [
    {
      path: `${PREFIX}/${segment}`,
      methods: {
        GET: ({ query }) => {
          const page = pageParams(query);
          const like = first(query, `like_${key}`);
          const rows = core.authz.list(kind).filter((r) => like === undefined || r.who.includes(like));
          const { data, meta } = queryPage(rows, page, like === undefined);
          return ok({ data: data.map((r) => format(r.who, r.rules)), meta });
        },
        POST: ({ request }) => {
          const entries = arrayBody(request).map(entry);
          const taken = entries.find((e) => core.authz.has(scope(e.who)));
          if (taken) throw new ApiError(409, 'ALREADY_EXISTS', `${label} '${taken.who}' already exist`);
          for (const e of entries) core.authz.set(scope(e.who), e.rules);
          return noContent();
        },
      },
    },
    {
      path: `${PREFIX}/${segment}/{who}`,
      methods: {
        GET: ({ params }) => {
          const rules = core.authz.get(scope(params.who ?? ''));
          if (!rules) throw ruleNotFound();
          return ok(format(params.who ?? '', rules));
        },
        PUT: ({ request, params }) => {
          const e = entry(objectBody(request));
          // EMQX crashes on a body naming someone else than the path.
          if (e.who !== params.who) throw new ApiError(500, 'INTERNAL_ERROR', 'function_clause');
          core.authz.set(scope(e.who), e.rules);
          return noContent();
        },
        DELETE: ({ params }) => {
          if (!core.authz.delete(scope(params.who ?? ''))) throw ruleNotFound();
          return noContent();
        },
      },
    },
  ];
}

/** `/authorization/sources/built_in_database/rules[...]`: per-user, per-client and catch-all rule lists. */
export function authzRuleRoutes(core: BrokerCore): Route[] {
  return [
    ...scopeRoutes(core, 'users'),
    ...scopeRoutes(core, 'clients'),
    {
      path: `${PREFIX}/all`,
      methods: {
        GET: () => ok({ rules: (core.authz.get({ kind: 'all' }) ?? []).map(formatAuthzRule) }),
        POST: ({ request }) => {
          core.authz.set({ kind: 'all' }, parseAuthzRules(objectBody(request).rules ?? []));
          return noContent();
        },
        DELETE: () => {
          core.authz.delete({ kind: 'all' });
          return noContent();
        },
      },
    },
    {
      path: PREFIX,
      methods: {
        DELETE: () => {
          core.authz.clear();
          return noContent();
        },
      },
    },
  ];
}
