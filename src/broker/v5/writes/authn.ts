import { z } from 'zod';
import { NotFoundError } from '../../../errors.ts';
import type { BrokerTransport } from '../../api.ts';
import { parseBody } from '../../call.ts';
import type { AuthnUserWrite, BrokerWriteApi } from '../../write-api.ts';
import { writePath } from '../../write-support.ts';

/**
 * v5 built-in database users (docs/emqx-api.md §4.8) of the password-based authenticator. Create answers 201
 * (409 ALREADY_EXISTS for a duplicate), update 200, delete 204, import 204 (≤ 5.8.1) or 200 with counts.
 * Passwords only ever travel in request bodies.
 */

const AUTHENTICATOR = 'password_based:built_in_database';
const USERS = '/authentication/{authenticator}/users';
const USER = '/authentication/{authenticator}/users/{user_id}';

const userSchema = z
  .object({ user_id: z.string(), is_superuser: z.boolean().default(false) })
  .transform((u) => ({ userId: u.user_id, isSuperuser: u.is_superuser }));

const countsSchema = z.object({
  total: z.number().nullish(),
  success: z.number().nullish(),
  override: z.number().nullish(),
  skipped: z.number().nullish(),
  failed: z.number().nullish(),
});

const userNotFound = (userId: string) => new NotFoundError(`User ${userId} not found`);

export function v5AuthnWrites(
  t: BrokerTransport,
): Pick<BrokerWriteApi, 'createAuthnUser' | 'updateAuthnUser' | 'deleteAuthnUser' | 'importAuthnUsers'> {
  const userPath = (userId: string) => writePath(USER, { authenticator: AUTHENTICATOR, user_id: userId });

  async function createAuthnUser(user: AuthnUserWrite) {
    const path = writePath(USERS, { authenticator: AUTHENTICATOR });
    const body = { user_id: user.userId, password: user.password, is_superuser: user.isSuperuser };
    const reply = await t.send({ domain: 'authn', method: 'POST', path, body });
    return parseBody(userSchema, reply.body, path.route);
  }

  async function updateAuthnUser(user: { userId: string; password: string; isSuperuser: boolean | null }) {
    const path = userPath(user.userId);
    const body = {
      password: user.password,
      ...(user.isSuperuser !== null ? { is_superuser: user.isSuperuser } : {}),
    };
    const reply = await t.send({ domain: 'authn', method: 'PUT', path, body, accept: [404] });
    if (reply.status === 404) throw userNotFound(user.userId);
    return parseBody(userSchema, reply.body, path.route);
  }

  async function deleteAuthnUser(userId: string) {
    const reply = await t.send({ domain: 'authn', method: 'DELETE', path: userPath(userId), accept: [404] });
    if (reply.status === 404) throw userNotFound(userId);
  }

  async function importAuthnUsers(users: AuthnUserWrite[]) {
    const path = writePath('/authentication/{authenticator}/import_users', { authenticator: AUTHENTICATOR });
    const body = users.map((u) => ({ user_id: u.userId, password: u.password, is_superuser: u.isSuperuser }));
    const query = new URLSearchParams({ type: 'plain' });
    const reply = await t.send({ domain: 'authn', method: 'POST', path, query, body });
    const counts =
      reply.status === 204 || reply.body === undefined ? {} : parseBody(countsSchema, reply.body, path.route);
    return {
      total: counts.total ?? null,
      success: counts.success ?? null,
      override: counts.override ?? null,
      skipped: counts.skipped ?? null,
      failed: counts.failed ?? null,
    };
  }

  return { createAuthnUser, updateAuthnUser, deleteAuthnUser, importAuthnUsers };
}
