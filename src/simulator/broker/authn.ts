import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AuthnUser } from './types.ts';

/**
 * The `password_based:built_in_database` authenticator (user_id_type = username). While it holds no user,
 * CONNECT is anonymous-allowed, as on a fresh EMQX without authenticators; once it holds one, every CONNECT
 * needs a matching username and password.
 */
export interface AuthnStore {
  list(): AuthnUser[];
  get(userId: string): AuthnUser | undefined;
  /** False when the user already exists. */
  add(userId: string, password: string, isSuperuser: boolean): boolean;
  /** Changes only the fields given; false when the user does not exist. */
  update(userId: string, changes: { password?: string; isSuperuser?: boolean }): boolean;
  /** Creates or overwrites (import_users semantics). */
  upsert(userId: string, password: string, isSuperuser: boolean): void;
  /** Creates or overwrites from an exported hash (`import_users?type=hash`): sha256 hex of password + salt. */
  upsertHashed(userId: string, passwordHash: string, salt: string, isSuperuser: boolean): void;
  delete(userId: string): boolean;
  size(): number;
  /** `anonymous` while the DB is empty; otherwise the verdict for these credentials. */
  check(username: string | null, password: Buffer | null): AuthnVerdict;
}

export type AuthnVerdict =
  | { result: 'anonymous' }
  | { result: 'allow'; isSuperuser: boolean }
  | { result: 'deny'; reason: 'not_found' | 'bad_password' };

/** EMQX's default `password_hash_algorithm`: sha256 with the salt appended to the password. */
interface StoredUser {
  isSuperuser: boolean;
  salt: string;
  hash: Buffer;
}

const hashPassword = (salt: string, password: Buffer | string) =>
  createHash('sha256').update(password).update(salt).digest();

export function createAuthnStore(): AuthnStore {
  const users = new Map<string, StoredUser>();
  const store = (userId: string, password: string, isSuperuser: boolean) => {
    const salt = randomBytes(16).toString('hex');
    users.set(userId, { isSuperuser, salt, hash: hashPassword(salt, password) });
  };
  const view = (userId: string, user: StoredUser): AuthnUser => ({ userId, isSuperuser: user.isSuperuser });
  return {
    list: () => [...users].map(([id, user]) => view(id, user)),
    get(userId) {
      const user = users.get(userId);
      return user ? view(userId, user) : undefined;
    },
    add(userId, password, isSuperuser) {
      if (users.has(userId)) return false;
      store(userId, password, isSuperuser);
      return true;
    },
    update(userId, changes) {
      const user = users.get(userId);
      if (!user) return false;
      if (changes.password !== undefined) store(userId, changes.password, user.isSuperuser);
      const updated = users.get(userId);
      if (updated && changes.isSuperuser !== undefined) updated.isSuperuser = changes.isSuperuser;
      return true;
    },
    upsert: store,
    upsertHashed(userId, passwordHash, salt, isSuperuser) {
      users.set(userId, { isSuperuser, salt, hash: Buffer.from(passwordHash, 'hex') });
    },
    delete: (userId) => users.delete(userId),
    size: () => users.size,
    check(username, password) {
      if (users.size === 0) return { result: 'anonymous' };
      const user = username === null ? undefined : users.get(username);
      if (!user) return { result: 'deny', reason: 'not_found' };
      const given = hashPassword(user.salt, password ?? Buffer.alloc(0));
      if (given.length !== user.hash.length || !timingSafeEqual(given, user.hash))
        return { result: 'deny', reason: 'bad_password' };
      return { result: 'allow', isSuperuser: user.isSuperuser };
    },
  };
}
