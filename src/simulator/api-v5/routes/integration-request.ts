import type { IntegrationKind } from '../../broker/integrations/store.ts';
import type { SimRequest } from '../../types.ts';
import { isRecord, objectBody } from '../http/body.ts';
import { ApiError, badRequest } from '../http/reply.ts';

const NAME = /^[0-9a-zA-Z][-.0-9a-zA-Z_]*$/;

/** Keys a client may echo back from a GET that are not configuration (`filter_out_request_body/1`). */
const NOT_CONFIG = ['id', 'type', 'name', 'status', 'status_reason', 'node_status', 'node', 'rules'];

const noun = (kind: IntegrationKind) => (kind === 'actions' ? 'bridge' : 'connector');

/** `emqx_bridge_resource:parse_bridge_id/2` and its connector twin: `"<type>:<name>"`, else 404. */
export function parseId(kind: IntegrationKind, id: string): { type: string; name: string } {
  const at = id.indexOf(':');
  const type = id.slice(0, at);
  const name = id.slice(at + 1);
  if (at <= 0 || name === '' || !NAME.test(name)) {
    const label = kind === 'actions' ? 'bridge' : 'connector';
    throw new ApiError(
      404,
      'NOT_FOUND',
      `Invalid ${label} ID, should be of format {type}:{name}, got: ${id}`,
    );
  }
  return { type, name };
}

/** `?BRIDGE_NOT_FOUND` / `?CONNECTOR_NOT_FOUND`. */
export function notFoundError(kind: IntegrationKind, type: string, name: string): ApiError {
  const what = noun(kind);
  const label = kind === 'actions' ? 'Bridge' : 'Connector';
  return new ApiError(
    404,
    'NOT_FOUND',
    `${label} lookup failed: ${what} named '${name}' of type ${type} does not exist.`,
  );
}

/** The `{enable}` path segment: a boolean, else the schema's 400. */
export function enableParam(value: string | undefined): boolean {
  if (value === 'true' || value === 'false') return value === 'true';
  throw badRequest(`Bad Request: enable: the value must be a boolean, got: ${String(value)}`);
}

/**
 * The configuration part of a POST/PUT body, checked as the 5.8 schemas do for what every type shares:
 * `enable` a boolean, `description` a string, actions name a `connector` and carry `parameters`, HTTP
 * connectors have an http(s) `url`.
 */
export function configOf(kind: IntegrationKind, type: string, body: Record<string, unknown>) {
  const config = Object.fromEntries(Object.entries(body).filter(([k]) => !NOT_CONFIG.includes(k)));
  if (config.enable !== undefined && typeof config.enable !== 'boolean')
    throw badRequest('Bad Request: enable: the value must be a boolean');
  if (config.description !== undefined && typeof config.description !== 'string')
    throw badRequest('Bad Request: description: the value must be a string');
  if (kind === 'actions') {
    if (typeof config.connector !== 'string' || config.connector === '')
      throw badRequest('Bad Request: connector: required_field');
    if (!isRecord(config.parameters)) throw badRequest('Bad Request: parameters: required_field');
  } else if (type === 'http') {
    if (typeof config.url !== 'string' || !/^https?:\/\/[^/]+/.test(config.url))
      throw badRequest('Bad Request: url: bad_url, the value must be an http(s) URL');
  }
  return config;
}

/** A POST body (create or probe): `type` one of `types`, `name` a valid resource name, then the config. */
export function creationOf(kind: IntegrationKind, request: SimRequest, types: readonly string[]) {
  const body = objectBody(request);
  if (typeof body.type !== 'string' || !types.includes(body.type))
    throw badRequest(`Bad Request: type: unknown ${noun(kind)} type ${JSON.stringify(body.type ?? null)}`);
  if (typeof body.name !== 'string') throw badRequest('Bad Request: name: required_field');
  if (!NAME.test(body.name) || body.name.length > 255)
    throw badRequest(
      `Bad Request: Invalid name format. The name must begin with a letter or number and contain only letters, numbers, '-', '.' and '_'`,
    );
  return { type: body.type, name: body.name, config: configOf(kind, body.type, body) };
}
