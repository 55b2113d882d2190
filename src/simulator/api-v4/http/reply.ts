import type { SimResponse } from '../../types.ts';

/**
 * Reply shapes of EMQX 4.4's management API (minirest 0.3): every application outcome is HTTP 200 with a
 * JSON body; transport-level failures are short plain-text bodies.
 */

export const jsonReply = (status: number, value: unknown): SimResponse => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(value),
});

export const textReply = (status: number, text: string): SimResponse => ({
  status,
  headers: { 'content-type': 'text/plain' },
  body: text,
});

/** `minirest:return()` / `return({ok, Data})`. */
export const ok = (data?: unknown): SimResponse =>
  jsonReply(200, data === undefined ? { code: 0 } : { code: 0, data });

/** `return({ok, #{data, meta}})`: a paged list. */
export const okPage = (page: { data: unknown[]; meta: object }): SimResponse =>
  jsonReply(200, { code: 0, data: page.data, meta: page.meta });

/** `return({error, Code, Message})`: an application error, still HTTP 200. */
export const fail = (code: number, message: string): SimResponse => jsonReply(200, { code, message });

/** `return({error, Message})`: the variant without `code` (plugins, alarms, listeners). */
export const failMessage = (message: string): SimResponse => jsonReply(200, { message });

export const notFound = (): SimResponse => textReply(404, 'Not found.');

export const badRequest = (): SimResponse => textReply(400, 'Bad Request');

/** What minirest answers when a handler crashes. */
export const internalError = (): SimResponse => textReply(500, 'Internal Error');

export const unauthorized = (): SimResponse => ({
  status: 401,
  headers: { 'content-type': 'text/plain', 'www-authenticate': 'Basic Realm="minirest-server"' },
  body: 'UNAUTHORIZED',
});

/**
 * Thrown where EMQX's Erlang handler would crash (a bad match, a failed conversion outside a `try`);
 * the router turns it into minirest's 500 `Internal Error`.
 */
export class HandlerCrash extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'HandlerCrash';
  }
}
