import type { GraphiQLOptions } from 'graphql-yoga';

/** What every gateway's GraphiQL opens with, and what a caller of createGateway (the demo) may change. */

export interface GraphiQLCustomization {
  options?: Partial<GraphiQLOptions>;
  /**
   * When this differs from the one a browser saw last, GraphiQL's saved tabs and headers are dropped there
   * (the demo's tokens change from run to run).
   */
  storageEpoch?: string;
}

/** Says how to pass a token before anything else, since every request without one is refused. */
export const DEFAULT_QUERY = `# Every request needs a bearer token: open Headers (below the editor) and add
#   {"Authorization": "Bearer <your token>"}
# then run this with the ▶ button (Ctrl-Enter), and re-fetch the schema (Shift-Ctrl-R) to fill the docs.
{
  deployments(first: 10) {
    edges { node { deploymentId name status version } }
  }
}
`;

export function gatewayGraphiQL(custom: GraphiQLCustomization = {}) {
  return {
    options: { title: 'EMQX Cloud gateway', defaultQuery: DEFAULT_QUERY, ...custom.options },
    ...(custom.storageEpoch ? { storageEpoch: custom.storageEpoch } : {}),
  };
}
