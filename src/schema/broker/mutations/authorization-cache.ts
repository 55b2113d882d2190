import { z } from 'zod';
import { clientId, deploymentId } from '../../../validation/identifiers.ts';
import { builder } from '../../builder.ts';
import { MUTATION_ERRORS } from '../../errors.ts';
import { writeArgs } from '../../write-args.ts';
import { brokerMutation, operatorOnly } from './define.ts';

/**
 * Clearing cached authorization decisions (operator): after an authorization rule changes, connected clients
 * keep their cached allow/deny until it expires; clearing makes their next publish or subscribe be checked
 * against the rules again. Nothing else changes, so it is never a broad write.
 */

const ClearAuthorizationCacheSuccess = builder
  .objectRef<{ clientId: string | null }>('ClearAuthorizationCacheSuccess')
  .implement({
    description: 'The cache is empty; the next check of each affected client reads the rules',
    fields: (t) => ({
      clientId: t.exposeString('clientId', { nullable: true, description: 'null: every client' }),
    }),
  });

builder.mutationField('clearAuthorizationCache', (t) =>
  t.field({
    type: ClearAuthorizationCacheSuccess,
    description:
      'One client (NOT_FOUND when it is not connected): v4 `DELETE /clients/{clientid}/acl_cache`, v5 ' +
      '`DELETE /clients/{clientid}/authorization/cache`. Every client (no clientId): v4 `DELETE /acl-cache`, ' +
      'v5 `DELETE /authorization/cache`.',
    ...operatorOnly('clearAuthorizationCache'),
    errors: { types: MUTATION_ERRORS, union: { name: 'ClearAuthorizationCacheResult' } },
    args: {
      ...writeArgs(t.arg),
      deploymentId: t.arg.string({ required: true }),
      clientId: t.arg.string({ description: 'left out: every connected client' }),
    },
    resolve: brokerMutation({
      operation: 'clearAuthorizationCache',
      args: () => z.object({ deploymentId, clientId: clientId.nullish().transform((id) => id ?? null) }),
      target: (args) => [args.clientId ?? '*'],
      invalidates: () => ['authzCache'],
      run: async (api, args) => {
        await api.clearAuthorizationCache(args.clientId);
        return { clientId: args.clientId };
      },
    }),
  }),
);
