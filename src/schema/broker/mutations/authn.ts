import { z } from 'zod';
import type { AuthnUser } from '../../../broker/api.ts';
import type { ImportOutcome } from '../../../broker/write-api.ts';
import { deploymentId, pathValue } from '../../../validation/identifiers.ts';
import { isValidUtf8 } from '../../../validation/text.ts';
import { builder } from '../../builder.ts';
import { MUTATION_ERRORS } from '../../errors.ts';
import { writeArgs } from '../../write-args.ts';
import { AuthnUserRef } from '../queries/access-control.ts';
import { brokerMutation, operatorOnly } from './define.ts';

/**
 * v5 built-in database users of the password authenticator (operator); v4 answers NOT_SUPPORTED.
 * Passwords go to EMQX in the request body only: never in a response, a log line or the audit trail.
 */

const MAX_IMPORT = 1000;

const userId = pathValue('userId', 1024);
const password = z
  .string()
  .min(1, 'password may not be empty')
  .max(1024, 'password is longer than 1024 characters')
  .refine(isValidUtf8, 'password is not valid UTF-8');
const newUser = z.object({
  userId,
  password,
  isSuperuser: z
    .boolean()
    .nullish()
    .transform((s) => s ?? false),
});

const AuthnUserInput = builder.inputType('AuthnUserInput', {
  fields: (t) => ({
    userId: t.string({ required: true }),
    password: t.string({ required: true }),
    isSuperuser: t.boolean({ defaultValue: false }),
  }),
});

const userSuccess = (name: string) =>
  builder.objectRef<{ user: AuthnUser }>(name).implement({
    fields: (t) => ({ user: t.field({ type: AuthnUserRef, resolve: (r) => r.user }) }),
  });

const CreateAuthnUserSuccess = userSuccess('CreateAuthnUserSuccess');
const UpdateAuthnUserSuccess = userSuccess('UpdateAuthnUserSuccess');

const DeleteAuthnUserSuccess = builder.objectRef<{ userId: string }>('DeleteAuthnUserSuccess').implement({
  fields: (t) => ({ userId: t.exposeString('userId') }),
});

const ImportAuthnUsersSuccess = builder.objectRef<ImportOutcome>('ImportAuthnUsersSuccess').implement({
  description: 'Counts as EMQX ≥ 5.8.2 reports them; null from older brokers, which report none',
  fields: (t) => ({
    total: t.exposeInt('total', { nullable: true }),
    success: t.exposeInt('success', { nullable: true }),
    override: t.exposeInt('override', { nullable: true }),
    skipped: t.exposeInt('skipped', { nullable: true }),
    failed: t.exposeInt('failed', { nullable: true }),
  }),
});

builder.mutationFields((t) => ({
  createAuthnUser: t.field({
    type: CreateAuthnUserSuccess,
    description:
      'Adds a user to the built-in database authenticator (a duplicate is UPSTREAM_ERROR ALREADY_EXISTS).',
    ...operatorOnly('createAuthnUser'),
    errors: { types: MUTATION_ERRORS, union: { name: 'CreateAuthnUserResult' } },
    args: {
      ...writeArgs(t.arg),
      deploymentId: t.arg.string({ required: true }),
      input: t.arg({ type: AuthnUserInput, required: true }),
    },
    resolve: brokerMutation({
      operation: 'createAuthnUser',
      args: () => z.object({ deploymentId, input: newUser }),
      target: (args) => [args.input.userId],
      invalidates: () => ['authn'],
      run: async (api, args) => ({ user: await api.createAuthnUser(args.input) }),
    }),
  }),
  updateAuthnUser: t.field({
    type: UpdateAuthnUserSuccess,
    description: 'Sets a user’s password, and its superuser flag when given (EMQX requires the password).',
    ...operatorOnly('updateAuthnUser'),
    errors: { types: MUTATION_ERRORS, union: { name: 'UpdateAuthnUserResult' } },
    args: {
      ...writeArgs(t.arg),
      deploymentId: t.arg.string({ required: true }),
      userId: t.arg.string({ required: true }),
      password: t.arg.string({ required: true }),
      isSuperuser: t.arg.boolean(),
    },
    resolve: brokerMutation({
      operation: 'updateAuthnUser',
      args: () => z.object({ deploymentId, userId, password, isSuperuser: z.boolean().nullish() }),
      target: (args) => [args.userId],
      invalidates: () => ['authn'],
      run: async (api, args) => ({
        user: await api.updateAuthnUser({
          userId: args.userId,
          password: args.password,
          isSuperuser: args.isSuperuser ?? null,
        }),
      }),
    }),
  }),
  deleteAuthnUser: t.field({
    type: DeleteAuthnUserSuccess,
    ...operatorOnly('deleteAuthnUser'),
    errors: { types: MUTATION_ERRORS, union: { name: 'DeleteAuthnUserResult' } },
    args: {
      ...writeArgs(t.arg),
      deploymentId: t.arg.string({ required: true }),
      userId: t.arg.string({ required: true }),
    },
    resolve: brokerMutation({
      operation: 'deleteAuthnUser',
      args: () => z.object({ deploymentId, userId }),
      target: (args) => [args.userId],
      invalidates: () => ['authn'],
      run: async (api, args) => {
        await api.deleteAuthnUser(args.userId);
        return { userId: args.userId };
      },
    }),
  }),
  importAuthnUsers: t.field({
    type: ImportAuthnUsersSuccess,
    description: `Adds or overwrites up to ${MAX_IMPORT} users in one call (\`import_users?type=plain\`).`,
    ...operatorOnly('importAuthnUsers', { writeItems: 'users' }),
    errors: { types: MUTATION_ERRORS, union: { name: 'ImportAuthnUsersResult' } },
    args: {
      ...writeArgs(t.arg),
      deploymentId: t.arg.string({ required: true }),
      users: t.arg({ type: [AuthnUserInput], required: true }),
    },
    resolve: brokerMutation({
      operation: 'importAuthnUsers',
      args: () =>
        z.object({
          deploymentId,
          users: z
            .array(newUser)
            .min(1, 'give at least one user')
            .max(MAX_IMPORT, `at most ${MAX_IMPORT} users`),
        }),
      target: (args) => args.users.map((u) => u.userId),
      invalidates: () => ['authn'],
      run: (api, args) => api.importAuthnUsers(args.users),
    }),
  }),
}));
