/** PostgreSQL AccountStore: the `users` table through named, parameterised statements. */
import { UserExistsError } from '../errors.js';
import type { AccountStore, UserRecord } from '../types.js';
import { run, statement, toNumber, type Queryable } from './query.js';

const USER_COLUMNS = 'user_id, localpart, password_hash, admin, is_guest, deactivated, created_ts';

const INSERT_USER = statement('insert_user', `
INSERT INTO users (user_id, localpart, password_hash, admin, is_guest, deactivated, created_ts)
VALUES ($1, $2, $3, $4, $5, FALSE, $6)
ON CONFLICT DO NOTHING
RETURNING ${USER_COLUMNS}`);
const SELECT_USER = statement('select_user', `SELECT ${USER_COLUMNS} FROM users WHERE user_id = $1`);
const SELECT_USERS = statement('select_users', `SELECT ${USER_COLUMNS} FROM users ORDER BY user_id`);
const UPDATE_PASSWORD_HASH = statement('update_password_hash', 'UPDATE users SET password_hash = $2 WHERE user_id = $1');
const UPDATE_ADMIN = statement('update_admin', 'UPDATE users SET admin = $2 WHERE user_id = $1');
const UPDATE_DEACTIVATED = statement('update_deactivated', 'UPDATE users SET deactivated = $2 WHERE user_id = $1');
const COUNT_USERS = statement('count_users', 'SELECT count(*) AS n FROM users');

interface UserRow {
  user_id: string;
  localpart: string;
  password_hash: string | null;
  admin: boolean;
  is_guest: boolean;
  deactivated: boolean;
  created_ts: string;
}

function toUser(row: UserRow): UserRecord {
  return {
    userId: row.user_id,
    localpart: row.localpart,
    passwordHash: row.password_hash,
    admin: row.admin,
    isGuest: row.is_guest,
    deactivated: row.deactivated,
    createdTs: toNumber(row.created_ts),
  };
}

/** Builds the store over a pool whose search_path reaches the migrated schema. */
export function createPostgresAccountStore(db: Queryable): AccountStore {
  return {
    async createUser(user) {
      const values = [user.userId, user.localpart, user.passwordHash, user.admin, user.isGuest ?? false, user.createdTs];
      const { rows } = await run<UserRow>(db, INSERT_USER, values);
      if (rows.length === 0) throw new UserExistsError(user.userId);
      return toUser(rows[0]);
    },
    async getUser(userId) {
      const { rows } = await run<UserRow>(db, SELECT_USER, [userId]);
      return rows.length > 0 ? toUser(rows[0]) : undefined;
    },
    async listUsers() {
      return (await run<UserRow>(db, SELECT_USERS, [])).rows.map(toUser);
    },
    async setPasswordHash(userId, passwordHash) {
      return ((await run(db, UPDATE_PASSWORD_HASH, [userId, passwordHash])).rowCount ?? 0) > 0;
    },
    async setAdmin(userId, admin) {
      return ((await run(db, UPDATE_ADMIN, [userId, admin])).rowCount ?? 0) > 0;
    },
    async setDeactivated(userId, deactivated) {
      return ((await run(db, UPDATE_DEACTIVATED, [userId, deactivated])).rowCount ?? 0) > 0;
    },
    async countUsers() {
      const { rows } = await run<{ n: string }>(db, COUNT_USERS, []);
      return toNumber(rows[0].n);
    },
  };
}
