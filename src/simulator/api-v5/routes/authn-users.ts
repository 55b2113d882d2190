import type { BrokerCore } from '../../broker/core.ts';
import type { AuthnUser } from '../../broker/types.ts';
import { arrayBody, isRecord, objectBody } from '../http/body.ts';
import { queryPage } from '../http/paging.ts';
import { boolean, first, pageParams } from '../http/query.ts';
import { ApiError, badRequest, created, noContent, notFound, ok } from '../http/reply.ts';
import type { Route, RouteCall } from '../http/router.ts';

export const BUILT_IN_AUTHENTICATOR = 'password_based:built_in_database';
const PREFIX = '/authentication/{id}';

const userNotFound = () => notFound('NOT_FOUND', 'User not found');
const formatUser = (u: AuthnUser) => ({ user_id: u.userId, is_superuser: u.isSuperuser });

/** Only the built-in database authenticator exists on the simulated deployment. */
function authenticator({ params }: RouteCall): void {
  if (params.id !== BUILT_IN_AUTHENTICATOR)
    throw notFound('NOT_FOUND', `Authenticator '${params.id}' does not exist`);
}

function requiredString(body: Record<string, unknown>, name: string): string {
  if (typeof body[name] !== 'string' || body[name] === '')
    throw badRequest(`Missing required parameter: ${name}`);
  return body[name] as string;
}

function superuserFlag(body: Record<string, unknown>): boolean | undefined {
  if (body.is_superuser === undefined) return undefined;
  if (typeof body.is_superuser !== 'boolean')
    throw badRequest('Bad Request: is_superuser expected type is boolean');
  return body.is_superuser;
}

function importUsers(core: BrokerCore, call: RouteCall) {
  const type = first(call.query, 'type');
  if (type !== 'plain' && type !== 'hash') throw badRequest('Bad Request: type expected enum(plain,hash)');
  const users = arrayBody(call.request).map((u) => {
    if (!isRecord(u)) throw badRequest('Bad Request: user must be an object');
    const userId = requiredString(u, 'user_id');
    const isSuperuser = superuserFlag(u) ?? false;
    if (type === 'plain') return () => core.authn.upsert(userId, requiredString(u, 'password'), isSuperuser);
    const hash = requiredString(u, 'password_hash');
    const salt = typeof u.salt === 'string' ? u.salt : '';
    return () => core.authn.upsertHashed(userId, hash, salt, isSuperuser);
  });
  for (const save of users) save();
  // 5.8.1 answers 204; 5.8.2 and later answer 200 with counts.
  return noContent();
}

/** `/authentication/password_based:built_in_database/users[...]` and `import_users`. */
export function authnUserRoutes(core: BrokerCore): Route[] {
  return [
    {
      path: `${PREFIX}/users`,
      methods: {
        GET: (call) => {
          authenticator(call);
          const page = pageParams(call.query);
          const like = first(call.query, 'like_user_id');
          const superuser = boolean(call.query, 'is_superuser');
          const users = core.authn
            .list()
            .filter(
              (u) =>
                (like === undefined || u.userId.includes(like)) &&
                (superuser === undefined || u.isSuperuser === superuser),
            );
          const { data, meta } = queryPage(users, page, like === undefined);
          return ok({ data: data.map(formatUser), meta });
        },
        POST: (call) => {
          authenticator(call);
          const body = objectBody(call.request);
          const userId = requiredString(body, 'user_id');
          const password = requiredString(body, 'password');
          const isSuperuser = superuserFlag(body) ?? false;
          if (!core.authn.add(userId, password, isSuperuser))
            throw new ApiError(409, 'ALREADY_EXISTS', 'User already exists');
          return created({ user_id: userId, is_superuser: isSuperuser });
        },
      },
    },
    {
      path: `${PREFIX}/users/{user_id}`,
      methods: {
        GET: (call) => {
          authenticator(call);
          const user = core.authn.get(call.params.user_id ?? '');
          if (!user) throw userNotFound();
          return ok(formatUser(user));
        },
        PUT: (call) => {
          authenticator(call);
          const body = objectBody(call.request);
          const password = requiredString(body, 'password');
          const userId = call.params.user_id ?? '';
          if (!core.authn.update(userId, { password, isSuperuser: superuserFlag(body) }))
            throw userNotFound();
          return ok(formatUser(core.authn.get(userId) as AuthnUser));
        },
        DELETE: (call) => {
          authenticator(call);
          if (!core.authn.delete(call.params.user_id ?? '')) throw userNotFound();
          return noContent();
        },
      },
    },
    {
      path: `${PREFIX}/import_users`,
      methods: {
        POST: (call) => {
          authenticator(call);
          return importUsers(core, call);
        },
      },
    },
  ];
}
