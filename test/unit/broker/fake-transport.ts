import { readFileSync } from 'node:fs';
import type { BrokerTransport } from '../../../src/broker/api.ts';
import type { BrokerRequest } from '../../../src/broker/call.ts';

/** A transport that answers from a table keyed by `METHOD route` and records what the adapter asked. */
export function fakeTransport(
  answers: Record<string, (request: BrokerRequest) => { status?: number; body: unknown }>,
) {
  const requests: BrokerRequest[] = [];
  const transport: BrokerTransport = {
    async send(request) {
      requests.push(request);
      const answer = answers[`${request.method} ${request.path.route}`];
      if (!answer) throw new Error(`no fake answer for ${request.method} ${request.path.route}`);
      const { status = 200, body } = answer(request);
      return { status, body, freshness: { source: 'UPSTREAM', fetchedAt: 1 } };
    },
  };
  return { transport, requests };
}

/** A body from test/fixtures/broker (copied from docs/emqx-api.md). */
export const fixture = (name: string): any =>
  JSON.parse(readFileSync(new URL(`../../fixtures/broker/${name}.json`, import.meta.url), 'utf8'));
