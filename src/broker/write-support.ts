import { NotFoundError, UpstreamError, UpstreamUnavailableError } from '../errors.ts';
import { buildPath, type PathOptions } from '../validation/path.ts';
import { BrokerContractError, type BrokerPath } from './call.ts';

/** Helpers shared by the v4 and v5 write adapters (v4/writes/, v5/writes/). */

/**
 * A write's path: each value percent-encoded as one segment and the result checked against the template
 * (src/validation/path.ts). The route label has no values, so it is safe for metrics and logs.
 */
export function writePath(
  template: string,
  params: Record<string, string> = {},
  options: PathOptions = {},
): BrokerPath {
  return { path: buildPath(template, params, options), route: template.replace(/\{\w+\}/g, '{}') };
}

export const clientNotFound = (clientId: string) =>
  new NotFoundError(`Client ${clientId} is not connected to this deployment`);

export const ruleNotFound = (id: string) => new NotFoundError(`Rule ${id} not found`);

/** An error EMQX reported for one item of a batch, in the contract's terms. */
export const itemError = (code: string | number, message: string, status?: number) =>
  new UpstreamError(`EMQX refused this item: ${message}`, code, status);

/** Rethrows `error` as `replacement` when it is an UpstreamError with one of `codes` (v4 in-body codes). */
export function whenUpstreamCode(error: unknown, codes: readonly string[], replacement: () => Error): never {
  if (error instanceof UpstreamError && codes.includes(error.upstreamCode)) throw replacement();
  throw error;
}

/** RFC 3339 without fractional seconds, which every EMQX 5 parser accepts. */
export const rfc3339Seconds = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** A batch answer must have one entry per item; anything else is a broker contract error (logged, masked). */
export function requireOnePerItem(route: string, answered: number, sent: number): void {
  if (answered !== sent) {
    const message = `${answered} results for ${sent} items`;
    throw new BrokerContractError(route, [{ code: 'custom', path: ['data'], message, input: undefined }]);
  }
}

/**
 * Runs a write whose refusal EMQX may explain by quoting the configuration it refused (secrets included):
 * the error keeps EMQX's code and status, never its text.
 */
export async function withoutEchoes<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof UpstreamError && !(error instanceof StillInUseError)) {
      const status = error.extensions.upstreamStatus as number | undefined;
      throw new UpstreamError(`EMQX refused the ${what} (${error.upstreamCode})`, error.upstreamCode, status);
    }
    if (error instanceof UpstreamUnavailableError)
      throw new UpstreamUnavailableError(`EMQX failed on the ${what}; its answer is not shown`);
    throw error;
  }
}

/** EMQX refused to delete something others depend on; the gateway writes the message (ids only). */
export class StillInUseError extends UpstreamError {}
