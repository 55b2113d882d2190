import { empty, json, type SimResponse } from '../../types.ts';

/** A v5 error answer raised anywhere in a handler: minirest's `{Status, Code, Message}` reply. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Extra keys some endpoints add beside `code` and `message`. */
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const ok = (value: unknown): SimResponse => json(200, value);
export const created = (value: unknown): SimResponse => json(201, value);
export const noContent = (): SimResponse => empty(204);

export const fromApiError = (error: ApiError): SimResponse =>
  json(error.status, { code: error.code, message: error.message, ...error.extra }, error.headers);

/** Schema/query validation failure (`emqx_dashboard_swagger:translate_req/3`). */
export const badRequest = (message: string): ApiError => new ApiError(400, 'BAD_REQUEST', message);

export const notFound = (code: string, message: string): ApiError => new ApiError(404, code, message);
