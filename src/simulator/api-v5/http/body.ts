import type { SimRequest } from '../../types.ts';
import { ApiError, badRequest } from './reply.ts';

const isJsonContentType = (request: SimRequest) =>
  (request.headers['content-type'] ?? '').toLowerCase().includes('application/json');

/**
 * The request body as minirest sees it: JSON when the content type says so (400 "Invalid json message
 * received" when it does not parse), otherwise raw bytes that fail the endpoint's schema. `strictContentType`
 * is the rule engine's `validate_content_type/3`: anything but JSON is a 415.
 */
export function readJsonBody(request: SimRequest, strictContentType = false): unknown {
  if (strictContentType && !isJsonContentType(request)) {
    throw new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', 'content-type:application/json Required');
  }
  if (request.body.length === 0) return undefined;
  if (!isJsonContentType(request)) throw badRequest('Invalid request body: expected a JSON object');
  try {
    return JSON.parse(request.body.toString('utf8'));
  } catch {
    throw badRequest('Invalid json message received');
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The body as an object, or 400 naming the problem as hocon does. */
export function objectBody(request: SimRequest, strictContentType = false): Record<string, unknown> {
  const body = readJsonBody(request, strictContentType);
  if (!isRecord(body)) throw badRequest('Bad Request: the request body must be a JSON object');
  return body;
}

export function arrayBody(request: SimRequest, strictContentType = false): unknown[] {
  const body = readJsonBody(request, strictContentType);
  if (!Array.isArray(body)) throw badRequest('Bad Request: the request body must be a JSON array');
  return body;
}
