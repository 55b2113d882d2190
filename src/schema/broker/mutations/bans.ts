import { z } from 'zod';
import type { Ban } from '../../../broker/api.ts';
import { BAN_KINDS, banTarget, newBan } from '../../../validation/ban.ts';
import { deploymentId } from '../../../validation/identifiers.ts';
import { builder } from '../../builder.ts';
import { MUTATION_ERRORS } from '../../errors.ts';
import { BanKindEnum, BanRef } from '../queries/bans.ts';
import { brokerMutation, operatorOnly } from './define.ts';

/**
 * Bans (operator): refuse connections by client ID, username or address (v5 also by regex and CIDR; v4
 * answers NOT_SUPPORTED for those). A ban does not disconnect a client that is already connected: kick it.
 */

const BanInput = builder.inputType('BanInput', {
  fields: (t) => ({
    kind: t.field({ type: BanKindEnum, required: true }),
    who: t.string({ required: true, description: 'client ID, username, IP address, regex or CIDR, by kind' }),
    reason: t.string(),
    until: t.field({ type: 'DateTime', description: 'in the future; left out: never expires' }),
  }),
});

const CreateBanSuccess = builder.objectRef<{ ban: Ban }>('CreateBanSuccess').implement({
  description: 'The ban as EMQX stored it',
  fields: (t) => ({ ban: t.field({ type: BanRef, resolve: (r) => r.ban }) }),
});

const DeleteBanSuccess = builder.objectRef<{ kind: Ban['kind']; who: string }>('DeleteBanSuccess').implement({
  description: 'The ban is gone (v4 deletes are idempotent; v5 answers NOT_FOUND for no such ban)',
  fields: (t) => ({
    kind: t.field({ type: BanKindEnum, resolve: (r) => r.kind }),
    who: t.exposeString('who'),
  }),
});

const ClearBansSuccess = builder.objectRef<{ deploymentId: string }>('ClearBansSuccess').implement({
  description: 'Every ban of the deployment is gone',
  fields: (t) => ({ deploymentId: t.exposeString('deploymentId') }),
});

const kinds = z.enum(BAN_KINDS);

builder.mutationFields((t) => ({
  createBan: t.field({
    type: CreateBanSuccess,
    ...operatorOnly('createBan'),
    errors: { types: MUTATION_ERRORS, union: { name: 'CreateBanResult' } },
    args: {
      deploymentId: t.arg.string({ required: true }),
      input: t.arg({ type: BanInput, required: true }),
    },
    resolve: brokerMutation({
      operation: 'createBan',
      args: () => z.object({ deploymentId, input: newBan() }),
      target: (args) => [`${args.input.kind}:${args.input.who}`],
      invalidates: () => ['bans'],
      run: async (api, args, context) => ({
        ban: await api.createBan({
          kind: args.input.kind,
          who: args.input.who,
          reason: args.input.reason ?? null,
          until: args.input.until ?? null,
          by: context.caller.name,
        }),
      }),
    }),
  }),
  deleteBan: t.field({
    type: DeleteBanSuccess,
    ...operatorOnly('deleteBan'),
    errors: { types: MUTATION_ERRORS, union: { name: 'DeleteBanResult' } },
    args: {
      deploymentId: t.arg.string({ required: true }),
      kind: t.arg({ type: BanKindEnum, required: true }),
      who: t.arg.string({ required: true }),
    },
    resolve: brokerMutation({
      operation: 'deleteBan',
      // The kind/who pair is checked as one ban target, so a problem is reported on `who`.
      args: () => z.object({ deploymentId, kind: kinds, who: z.string() }).and(banTarget),
      target: (args) => [`${args.kind}:${args.who}`],
      invalidates: () => ['bans'],
      run: async (api, args) => {
        await api.deleteBan(args.kind, args.who);
        return { kind: args.kind, who: args.who };
      },
    }),
  }),
  clearBans: t.field({
    type: ClearBansSuccess,
    description: 'Deletes every ban of the deployment (v5 `DELETE /banned`; v4 has no such API).',
    ...operatorOnly('clearBans'),
    errors: { types: MUTATION_ERRORS, union: { name: 'ClearBansResult' } },
    args: { deploymentId: t.arg.string({ required: true }) },
    resolve: brokerMutation({
      operation: 'clearBans',
      args: () => z.object({ deploymentId }),
      target: () => ['*'],
      invalidates: () => ['bans'],
      run: async (api, args) => {
        await api.clearBans();
        return { deploymentId: args.deploymentId };
      },
    }),
  }),
}));
