/** SQLite AccountStore: the `users` table through statements prepared once. */
import type Database from 'better-sqlite3';
import { UserExistsError } from '../errors.js';
import type { AccountStore, NewUser, UserRecord } from '../types.js';

const USER_COLUMNS = 'user_id, localpart, password_hash, admin, is_guest, deactivated, created_ts';

const INSERT_USER = `
INSERT INTO users (user_id, localpart, password_hash, admin, is_guest, deactivated, created_ts)
VALUES (@userId, @localpart, @passwordHash, @admin, @isGuest, 0, @createdTs)
ON CONFLICT DO NOTHING`;
const SELECT_USER = `SELECT ${USER_COLUMNS} FROM users WHERE user_id = ?`;
const SELECT_USERS = `SELECT ${USER_COLUMNS} FROM users ORDER BY user_id`;
const UPDATE_PASSWORD_HASH = 'UPDATE users SET password_hash = ? WHERE user_id = ?';
const UPDATE_ADMIN = 'UPDATE users SET admin = ? WHERE user_id = ?';
const UPDATE_DEACTIVATED = 'UPDATE users SET deactivated = ? WHERE user_id = ?';
const COUNT_USERS = 'SELECT count(*) AS n FROM users';

interface UserRow {
  user_id: string;
  localpart: string;
  password_hash: string | null;
  admin: number;
  is_guest: number;
  deactivated: number;
  created_ts: number;
}

function toUser(row: UserRow): UserRecord {
  return {
    userId: row.user_id,
    localpart: row.localpart,
    passwordHash: row.password_hash,
    admin: row.admin !== 0,
    isGuest: row.is_guest !== 0,
    deactivated: row.deactivated !== 0,
    createdTs: row.created_ts,
  };
}

/** Builds the store over an open, migrated database. */
export function createSqliteAccountStore(db: Database.Database): AccountStore {
  const insertUser = db.prepare(INSERT_USER);
  const selectUser = db.prepare<[string], UserRow>(SELECT_USER);
  const selectUsers = db.prepare<[], UserRow>(SELECT_USERS);
  const updatePasswordHash = db.prepare(UPDATE_PASSWORD_HASH);
  const updateAdmin = db.prepare(UPDATE_ADMIN);
  const updateDeactivated = db.prepare(UPDATE_DEACTIVATED);
  const countUsers = db.prepare<[], { n: number }>(COUNT_USERS);

  return {
    async createUser(user: NewUser) {
      const isGuest = user.isGuest ?? false;
      const { changes } = insertUser.run({
        userId: user.userId,
        localpart: user.localpart,
        passwordHash: user.passwordHash,
        admin: user.admin ? 1 : 0,
        isGuest: isGuest ? 1 : 0,
        createdTs: user.createdTs,
      });
      if (changes === 0) throw new UserExistsError(user.userId);
      return {
        userId: user.userId,
        localpart: user.localpart,
        passwordHash: user.passwordHash,
        admin: user.admin,
        isGuest,
        deactivated: false,
        createdTs: user.createdTs,
      };
    },
    async getUser(userId) {
      const row = selectUser.get(userId);
      return row && toUser(row);
    },
    async listUsers() {
      return selectUsers.all().map(toUser);
    },
    async setPasswordHash(userId, passwordHash) {
      return updatePasswordHash.run(passwordHash, userId).changes > 0;
    },
    async setAdmin(userId, admin) {
      return updateAdmin.run(admin ? 1 : 0, userId).changes > 0;
    },
    async setDeactivated(userId, deactivated) {
      return updateDeactivated.run(deactivated ? 1 : 0, userId).changes > 0;
    },
    async countUsers() {
      return countUsers.get()!.n;
    },
  };
}
