import type { GraphQLResolveInfo } from 'graphql';
import type { BrokerApi, BrokerFreshness, Page, PageRequest } from '../../broker/api.ts';
import { brokerWindow, type RelayArgs, toConnection } from '../../broker/paging.ts';
import { brokerOf } from '../../broker/request.ts';
import type { GatewayContext } from '../../context.ts';
import type { Deployment } from '../../platform/model.ts';

/**
 * What every broker field on Deployment shares: the guarded API of the parent deployment, and Relay
 * connections over EMQX pages. Broker fields are nullable so that one failing deployment puts null on its
 * own path only (docs/CONTRACT.md §4), never on a `deployments` list that other deployments share.
 */

/** A page of broker data as a Relay connection, fetched with the smallest EMQX page that covers it. */
export async function brokerConnection<T, N = T>(
  context: GatewayContext,
  deployment: Deployment,
  args: RelayArgs,
  fetch: (api: BrokerApi, page: PageRequest) => Promise<Page<T>>,
  wrap?: (item: T, freshness: BrokerFreshness) => N,
) {
  const { api } = brokerOf(context, deployment);
  const window = brokerWindow(args, context.services.config.limits.maxPageDepth);
  const page = await fetch(api, window.request);
  return toConnection(window, page, wrap);
}

/** Names of the fields selected under `edges { node { … } }` of a connection field, fragments included. */
export function selectedNodeFields(info: GraphQLResolveInfo): Set<string> {
  const names = new Set<string>();
  type Selections = NonNullable<(typeof info.fieldNodes)[number]['selectionSet']>['selections'];
  const walk = (selections: Selections | undefined, path: string[]) => {
    for (const selection of selections ?? []) {
      if (selection.kind === 'Field') {
        const name = selection.name.value;
        if (path.length === 2) names.add(name);
        else if ((path.length === 0 && name === 'edges') || (path.length === 1 && name === 'node')) {
          walk(selection.selectionSet?.selections, [...path, name]);
        }
      } else if (selection.kind === 'InlineFragment') {
        walk(selection.selectionSet.selections, path);
      } else {
        walk(info.fragments[selection.name.value]?.selectionSet.selections, path);
      }
    }
  };
  for (const node of info.fieldNodes) walk(node.selectionSet?.selections, []);
  return names;
}
