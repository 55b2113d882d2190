import { z } from 'zod';
import type { Ban, BrokerApi } from '../../../broker/api.ts';
import { untilWrite } from '../../../broker/dry-run.ts';
import { NotFoundError } from '../../../errors.ts';
import { BAN_KINDS, banTarget, newBan } from '../../../validation/ban.ts';
import { deploymentId } from '../../../validation/identifiers.ts';
import { builder } from '../../builder.ts';
import { MUTATION_ERRORS } from '../../errors.ts';
import { dryRunField, type MaybeDryRun, writeArgs } from '../../write-args.ts';
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

const CreateBanSuccess = builder.objectRef<{ ban: Ban } & MaybeDryRun>('CreateBanSuccess').implement({
  description: 'The ban as EMQX stored it (a dry run: as it would be sent)',
  fields: (t) => ({ ban: t.field({ type: BanRef, resolve: (r) => r.ban }), dryRun: dryRunField(t) }),
});

const DeleteBanSuccess = builder
  .objectRef<{ kind: Ban['kind']; who: string } & MaybeDryRun>('DeleteBanSuccess')
  .implement({
    description: 'The ban is gone (v4 deletes are idempotent; v5 answers NOT_FOUND for no such ban)',
    fields: (t) => ({
      kind: t.field({ type: BanKindEnum, resolve: (r) => r.kind }),
      who: t.exposeString('who'),
      dryRun: dryRunField(t),
    }),
  });

const ClearBansSuccess = builder
  .objectRef<{ deploymentId: string; bans?: number | null } & MaybeDryRun>('ClearBansSuccess')
  .implement({
    description: 'Every ban of the deployment is gone (a dry run: would be)',
    fields: (t) => ({
      deploymentId: t.exposeString('deploymentId'),
      bans: t.int({
        nullable: true,
        description: 'a dry run: how many bans exist now, all of which would go; null otherwise',
        resolve: (r) => r.bans ?? null,
      }),
      dryRun: dryRunField(t),
    }),
  });

const banOf = (args: { input: z.output<ReturnType<typeof newBan>> }, by: string) => ({
  kind: args.input.kind,
  who: args.input.who,
  reason: args.input.reason ?? null,
  until: args.input.until ?? null,
  by,
});

const kinds = z.enum(BAN_KINDS);

/** Pages read to find one ban (EMQX has no read of a single ban); beyond them a dry run assumes it exists. */
const MAX_BAN_PAGES = 20;
const BAN_PAGE = 100;

/** Whether EMQX holds this ban now, as far as the first MAX_BAN_PAGES pages tell. */
async function banExists(api: BrokerApi, kind: Ban['kind'], who: string): Promise<boolean> {
  for (let page = 1; page <= MAX_BAN_PAGES; page++) {
    const found = await api.listBans({ page, limit: BAN_PAGE });
    if (found.items.some((ban) => ban.kind === kind && ban.who === who)) return true;
    if (!found.hasNext) return false;
  }
  return true;
}

builder.mutationFields((t) => ({
  createBan: t.field({
    type: CreateBanSuccess,
    ...operatorOnly('createBan'),
    errors: { types: MUTATION_ERRORS, union: { name: 'CreateBanResult' } },
    args: {
      ...writeArgs(t.arg, { dryRun: true, justification: true }),
      deploymentId: t.arg.string({ required: true }),
      input: t.arg({ type: BanInput, required: true }),
    },
    resolve: brokerMutation({
      operation: 'createBan',
      args: () => z.object({ deploymentId, input: newBan() }),
      target: (args) => [`${args.input.kind}:${args.input.who}`],
      invalidates: () => ['bans'],
      run: async (api, args, context) => ({ ban: await api.createBan(banOf(args, context.caller.name)) }),
      preview: async (api, args, context) => {
        const ban = banOf(args, context.caller.name);
        await untilWrite(api.createBan(ban));
        return {
          ban: { ...ban, at: new Date().toISOString(), until: ban.until?.toISOString() ?? null },
        };
      },
    }),
  }),
  deleteBan: t.field({
    type: DeleteBanSuccess,
    ...operatorOnly('deleteBan'),
    errors: { types: MUTATION_ERRORS, union: { name: 'DeleteBanResult' } },
    args: {
      ...writeArgs(t.arg, { dryRun: true }),
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
      preview: async (api, args) => {
        await untilWrite(api.deleteBan(args.kind, args.who));
        // v5 answers 404 for no such ban; v4 deletes are idempotent, so there the answer is the same either way.
        if (api.version === 'v5' && !(await banExists(api, args.kind, args.who)))
          throw new NotFoundError(`No ${args.kind} ban for ${args.who}`);
        return { kind: args.kind, who: args.who };
      },
    }),
  }),
  clearBans: t.field({
    type: ClearBansSuccess,
    description: 'Deletes every ban of the deployment (v5 `DELETE /banned`; v4 has no such API).',
    ...operatorOnly('clearBans'),
    errors: { types: MUTATION_ERRORS, union: { name: 'ClearBansResult' } },
    args: {
      ...writeArgs(t.arg, { dryRun: true, justification: true }),
      deploymentId: t.arg.string({ required: true }),
    },
    resolve: brokerMutation({
      operation: 'clearBans',
      args: () => z.object({ deploymentId }),
      target: () => ['*'],
      invalidates: () => ['bans'],
      run: async (api, args) => {
        await api.clearBans();
        return { deploymentId: args.deploymentId };
      },
      preview: async (api, args) => {
        await untilWrite(api.clearBans());
        const first = await api.listBans({ page: 1, limit: 1 });
        return { deploymentId: args.deploymentId, bans: first.totalCount };
      },
    }),
  }),
}));
