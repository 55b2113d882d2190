import { findResourceType } from '../catalog/resource-types.ts';
import type { V4Context } from '../context.ts';
import { type V4ActionInstance, v4Extra } from '../format/rule.ts';
import { getParam, isJsonObject } from '../http/params.ts';
import { fail, HandlerCrash, ok } from '../http/reply.ts';
import type { V4Call, V4Route } from '../http/router.ts';
import { uriDecode } from '../http/url.ts';
import type { Resource } from '../state/resources.ts';

const record = (r: Resource) => ({ id: r.id, type: r.type, config: r.config, description: r.description });

/** Rules whose actions (or fallbacks) are bound to the resource through `$resource`. */
function dependentRules(ctx: V4Context, id: string, enabledOnly: boolean): string[] {
  const uses = (actions: V4ActionInstance[]): boolean =>
    actions.some((a) => a.params.$resource === id || uses(a.fallbacks));
  return ctx.broker.rules
    .list()
    .filter((rule) => (!enabledOnly || rule.enable) && uses(v4Extra(rule).actions))
    .map((rule) => rule.id);
}

const dependents = (ids: string[]) =>
  fail(
    400,
    `Found rules [${ids.map((id) => `<<"${id}">>`).join(',')}] depends on this resource, disable them first`,
  );

/** `parse_resource_params/1` and the type's parameter spec (required fields, defaults). */
function parseResource(call: V4Call) {
  const id = getParam(call.params, 'id');
  if (id === '') return { error: 'Bad Arguments: {empty_string_not_allowed,id}' };
  const typeName = getParam(call.params, 'type');
  const type = typeof typeName === 'string' ? findResourceType(typeName) : undefined;
  if (!type) return { error: `Resource Type ${String(typeName)} Not Found` };
  const given = getParam(call.params, 'config') ?? {};
  if (!isJsonObject(given)) throw new HandlerCrash('badarg: json_term_to_map');
  const config: Record<string, unknown> = { ...given };
  for (const [field, spec] of Object.entries(type.params)) {
    if (config[field] !== undefined) continue;
    if (spec.default !== undefined) config[field] = spec.default;
    else if (spec.required) return { error: `Bad Arguments: {required_field_missing,'${field}'}` };
  }
  const description = getParam(call.params, 'description') ?? '';
  return {
    resource: {
      id: id === undefined ? undefined : String(id),
      type: type.name,
      config,
      description: String(description),
    },
  };
}

async function create(ctx: V4Context, call: V4Call) {
  const parsed = parseResource(call);
  if (parsed.error !== undefined) return fail(400, parsed.error);
  const test = getParam(call.params, 'test');
  if (test === true || test === 'true') {
    return (await ctx.resources.probe(parsed.resource.config))
      ? ok()
      : fail(400, 'Bad Arguments: <<"resource not alive">>');
  }
  const { id, ...rest } = parsed.resource;
  if (id !== undefined && ctx.resources.get(id)) return fail(400, 'Already Exists');
  return ok(record(await ctx.resources.add(id === undefined ? rest : { ...rest, id })));
}

async function update(ctx: V4Context, call: V4Call) {
  const id = uriDecode(call.bindings.id!);
  if (!ctx.resources.get(id)) return fail(400, `Resource not found:${id}`);
  const rules = dependentRules(ctx, id, true);
  if (rules.length > 0) return dependents(rules);
  const config = getParam(call.params, 'config');
  if (config !== undefined && !isJsonObject(config)) throw new HandlerCrash('invalid_config');
  const description = getParam(call.params, 'description');
  await ctx.resources.update(id, { description, ...(config ? { config } : {}) });
  return ok();
}

function show(ctx: V4Context, call: V4Call) {
  const resource = ctx.resources.get(uriDecode(call.bindings.id!));
  if (!resource) return fail(404, 'Not Found');
  return ok({ ...record(resource), status: [{ node: ctx.broker.nodeName, is_alive: resource.alive }] });
}

function remove(ctx: V4Context, call: V4Call) {
  const id = uriDecode(call.bindings.id!);
  const rules = dependentRules(ctx, id, false);
  if (rules.length > 0) return dependents(rules);
  ctx.resources.delete(id);
  return ok();
}

const APP = 'emqx_rule_engine';

/** Resources part of `emqx_rule_engine_api` (4.4). */
export function resourceRoutes(ctx: V4Context): V4Route[] {
  const { resources } = ctx;
  return [
    {
      name: 'list_resources',
      method: 'GET',
      path: '/resources/',
      descr: 'A list of all resources',
      app: APP,
      handler: () => ok(resources.list().map((r) => ({ ...record(r), status: r.alive }))),
    },
    {
      name: 'create_resource',
      method: 'POST',
      path: '/resources/',
      descr: 'Create a resource',
      app: APP,
      handler: (call) => create(ctx, call),
    },
    {
      name: 'update_resource',
      method: 'PUT',
      path: '/resources/:bin:id',
      descr: 'Update a resource',
      app: APP,
      handler: (call) => update(ctx, call),
    },
    {
      name: 'show_resource',
      method: 'GET',
      path: '/resources/:bin:id',
      descr: 'Show a resource',
      app: APP,
      handler: (call) => show(ctx, call),
    },
    {
      name: 'get_resource_status',
      method: 'GET',
      path: '/resource_status/:bin:id',
      descr: 'Get status of a resource',
      app: APP,
      handler: ({ bindings }) => {
        const id = uriDecode(bindings.id!);
        const resource = resources.get(id);
        return resource ? ok({ is_alive: resource.alive }) : fail(400, `Resource ${id} Not Found`);
      },
    },
    {
      name: 'start_resource',
      method: 'POST',
      path: '/resources/:bin:id',
      descr: 'Start a resource',
      app: APP,
      handler: async ({ bindings }) => {
        const id = uriDecode(bindings.id!);
        return (await resources.restart(id)) ? ok() : fail(400, `Resource ${id} Not Found`);
      },
    },
    {
      name: 'delete_resource',
      method: 'DELETE',
      path: '/resources/:bin:id',
      descr: 'Delete a resource',
      app: APP,
      handler: (call) => remove(ctx, call),
    },
    {
      name: 'list_resources_by_type',
      method: 'GET',
      path: '/resource_types/:atom:type/resources',
      descr: 'List all resources of a resource type',
      app: APP,
      handler: ({ bindings }) =>
        ok(
          resources
            .list()
            .filter((r) => r.type === bindings.type)
            .map(record),
        ),
    },
  ];
}
