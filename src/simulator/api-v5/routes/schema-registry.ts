import { objectBody } from '../http/body.ts';
import { ApiError, badRequest, created, noContent, notFound, ok } from '../http/reply.ts';
import type { Route } from '../http/router.ts';

interface RegisteredSchema {
  type: 'avro' | 'protobuf' | 'json';
  source: string;
  description: string;
}

const TYPES = ['avro', 'protobuf', 'json'];
const NAME = /^[0-9a-zA-Z][-.0-9a-zA-Z_]*$/;

/** Avro and JSON schemas are JSON documents; EMQX refuses one that does not parse when building its serde. */
function checkSource(type: string, source: string): void {
  if (type === 'protobuf') {
    if (!/\b(message|syntax)\b/.test(source)) throw badRequest('{"reason":"invalid_protobuf_schema"}');
    return;
  }
  try {
    const parsed = JSON.parse(source);
    if (type === 'avro' && (typeof parsed !== 'object' || parsed === null || !('type' in parsed)))
      throw new Error('no type');
  } catch {
    throw badRequest(`{"reason":"invalid_${type}_schema"}`);
  }
}

/** A POST/PUT body as `emqx_schema_registry_schema:api_schema/1` checks it; `description` defaults to "". */
function schemaOf(body: Record<string, unknown>): RegisteredSchema {
  if (typeof body.type !== 'string' || !TYPES.includes(body.type))
    throw badRequest('Bad Request: type: the value must be one of [avro, protobuf, json]');
  if (typeof body.source !== 'string') throw badRequest('Bad Request: source: required_field');
  if (body.description !== undefined && typeof body.description !== 'string')
    throw badRequest('Bad Request: description: the value must be a string');
  checkSource(body.type, body.source);
  return {
    type: body.type as RegisteredSchema['type'],
    source: body.source,
    description: body.description ?? '',
  };
}

/** The EE schema registry (`/schema_registry[/{name}]`, emqx-api.md §4.11); bare arrays, 201 on create. */
export function schemaRegistryRoutes(): Route[] {
  const schemas = new Map<string, RegisteredSchema>();
  const view = (name: string, schema: RegisteredSchema) => ({ ...schema, name });
  const find = (name: string | undefined) => {
    const schema = schemas.get(name ?? '');
    if (!schema) throw notFound('NOT_FOUND', 'Schema not found');
    return schema;
  };
  return [
    {
      path: '/schema_registry',
      methods: {
        GET: () => ok([...schemas.entries()].map(([name, schema]) => view(name, schema))),
        POST: ({ request }) => {
          const body = objectBody(request);
          if (typeof body.name !== 'string') throw badRequest('Bad Request: name: required_field');
          if (!NAME.test(body.name) || body.name.length > 255)
            throw badRequest(`Bad Request: Invalid name format: ${body.name}`);
          const schema = schemaOf(body);
          if (schemas.has(body.name)) throw new ApiError(400, 'ALREADY_EXISTS', 'Schema already exists');
          schemas.set(body.name, schema);
          return created(view(body.name, schema));
        },
      },
    },
    {
      path: '/schema_registry/{name}',
      methods: {
        GET: ({ params }) => ok(view(params.name ?? '', find(params.name))),
        PUT: ({ request, params }) => {
          find(params.name);
          const schema = schemaOf(objectBody(request));
          schemas.set(params.name ?? '', schema);
          return ok(view(params.name ?? '', schema));
        },
        DELETE: ({ params }) => {
          find(params.name);
          schemas.delete(params.name ?? '');
          return noContent();
        },
      },
    },
  ];
}
