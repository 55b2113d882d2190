import type { BrokerTransport } from './api.ts';
import type { BrokerRequest } from './call.ts';

/**
 * Dry runs (CONTRACT §6) go through the very adapter method the write would use, so every check it makes
 * before sending (a kind v4 lacks, the read a v5 rule update makes first) happens for real; only the
 * transport differs: it answers reads and withholds the first write, which ends the method there.
 */

/** Thrown by a dry-run transport in place of sending a write. */
export class WriteWithheld extends Error {
  constructor(readonly request: Pick<BrokerRequest, 'method' | 'domain'>) {
    super(`dry run: ${request.method} withheld`);
    this.name = 'WriteWithheld';
  }
}

/** Reads pass through; a write is never sent. */
export const dryRunTransport = (transport: BrokerTransport): BrokerTransport => ({
  send: (request) =>
    request.method === 'GET'
      ? transport.send(request)
      : Promise.reject(new WriteWithheld({ method: request.method, domain: request.domain })),
});

/**
 * Runs an adapter write method on a dry-run API up to the point where it would send: its own refusals
 * (NOT_SUPPORTED, BAD_USER_INPUT, NOT_FOUND from a read it makes first) are thrown as they would be.
 */
export async function untilWrite(write: Promise<unknown>): Promise<void> {
  try {
    await write;
  } catch (error) {
    if (!(error instanceof WriteWithheld)) throw error;
  }
}
