import { BadUserInputError, NotSupportedError } from '../errors.ts';
import type { BrokerApi } from './api.ts';

/**
 * A node filter that names no node of the cluster is the caller's mistake, not EMQX's: v5 would answer
 * 500 NODE_DOWN ("invalid node") and v4 a 404 for the path. It is checked against the cluster's node list
 * (a cached read) first. A deployment without the nodes API (Serverless) leaves the filter to EMQX.
 */
export async function checkNodeFilter(
  api: BrokerApi,
  node: string | null | undefined,
  field: string,
): Promise<void> {
  if (node === null || node === undefined) return;
  let names: string[];
  try {
    names = (await api.nodes()).value.map((n) => n.name);
  } catch (error) {
    if (error instanceof NotSupportedError) return;
    throw error;
  }
  if (!names.includes(node)) {
    throw new BadUserInputError(
      `${field}: this deployment has no node ${node} (it has ${names.join(', ')})`,
      field,
    );
  }
}
