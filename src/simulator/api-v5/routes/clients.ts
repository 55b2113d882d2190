import type { BrokerCore } from '../../broker/core.ts';
import { formatClient, projectClient } from '../format/client.ts';
import { arrayBody } from '../http/body.ts';
import { queryPage } from '../http/paging.ts';
import { pageParams } from '../http/query.ts';
import { badRequest, noContent, notFound, ok } from '../http/reply.ts';
import type { Route } from '../http/router.ts';
import { parseClientQuery } from './client-filter.ts';

export const clientNotFound = () => notFound('CLIENTID_NOT_FOUND', 'Client ID not found');

/** `/clients`, `/clients/{clientid}` and `/clients/kickout/bulk`. */
export function clientRoutes(core: BrokerCore): Route[] {
  return [
    {
      path: '/clients',
      methods: {
        GET: ({ query }) => {
          const page = pageParams(query);
          const { matches, fuzzy, fields } = parseClientQuery(query, core.nodeName);
          const clients = core.listClients().filter(matches);
          const { data, meta } = queryPage(clients, page, !fuzzy);
          return ok({ data: data.map((c) => projectClient(formatClient(c), fields)), meta });
        },
      },
    },
    {
      path: '/clients/{clientid}',
      methods: {
        GET: ({ params }) => {
          const client = core.getClient(params.clientid ?? '');
          if (!client) throw clientNotFound();
          return ok(projectClient(formatClient(client), 'all'));
        },
        DELETE: async ({ params }) => {
          if (!(await core.kick(params.clientid ?? ''))) throw clientNotFound();
          return noContent();
        },
      },
    },
    {
      path: '/clients/kickout/bulk',
      methods: {
        POST: async ({ request }) => {
          const ids = arrayBody(request);
          if (!ids.every((id) => typeof id === 'string'))
            throw badRequest('Bad Request: client IDs must be strings');
          for (const id of ids as string[]) await core.kick(id);
          return noContent();
        },
      },
    },
  ];
}
