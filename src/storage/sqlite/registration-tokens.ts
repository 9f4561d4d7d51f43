/** SQLite RegistrationTokenStore: the `registration_tokens` table, with consume as one conditional UPDATE. */
import type Database from 'better-sqlite3';
import { RegistrationTokenExistsError } from '../errors.js';
import type { RegistrationTokenRecord, RegistrationTokenStore } from '../types.js';

const TOKEN_COLUMNS = 'token, uses_allowed, completed, expiry_time';

const INSERT_TOKEN = `
INSERT INTO registration_tokens (token, uses_allowed, completed, expiry_time)
VALUES (@token, @usesAllowed, 0, @expiryTime)
ON CONFLICT DO NOTHING`;
const SELECT_TOKEN = `SELECT ${TOKEN_COLUMNS} FROM registration_tokens WHERE token = ?`;
const SELECT_TOKENS = `SELECT ${TOKEN_COLUMNS} FROM registration_tokens ORDER BY token`;
// @setUses / @setExpiry are 1 when the field is to change, 0 to keep it.
const UPDATE_TOKEN = `
UPDATE registration_tokens
SET uses_allowed = CASE WHEN @setUses = 1 THEN @usesAllowed ELSE uses_allowed END,
    expiry_time  = CASE WHEN @setExpiry = 1 THEN @expiryTime ELSE expiry_time END
WHERE token = @token
RETURNING ${TOKEN_COLUMNS}`;
// The same rule as isRegistrationTokenValid: valid through expiry_time, usesAllowed null = unlimited.
const CONSUME_TOKEN = `
UPDATE registration_tokens SET completed = completed + 1
WHERE token = @token
  AND (uses_allowed IS NULL OR completed < uses_allowed)
  AND (expiry_time IS NULL OR expiry_time >= @nowTs)`;
const DELETE_TOKEN = 'DELETE FROM registration_tokens WHERE token = ?';

interface TokenRow {
  token: string;
  uses_allowed: number | null;
  completed: number;
  expiry_time: number | null;
}

function toToken(row: TokenRow): RegistrationTokenRecord {
  return { token: row.token, usesAllowed: row.uses_allowed, completed: row.completed, expiryTime: row.expiry_time };
}

/** Builds the store over an open, migrated database. */
export function createSqliteRegistrationTokenStore(db: Database.Database): RegistrationTokenStore {
  const insertToken = db.prepare(INSERT_TOKEN);
  const selectToken = db.prepare<[string], TokenRow>(SELECT_TOKEN);
  const selectTokens = db.prepare<[], TokenRow>(SELECT_TOKENS);
  const updateToken = db.prepare<[Record<string, unknown>], TokenRow>(UPDATE_TOKEN);
  const consumeToken = db.prepare(CONSUME_TOKEN);
  const deleteToken = db.prepare(DELETE_TOKEN);

  return {
    async add({ token, usesAllowed, expiryTime }) {
      if (insertToken.run({ token, usesAllowed, expiryTime }).changes === 0) throw new RegistrationTokenExistsError(token);
      return { token, usesAllowed, completed: 0, expiryTime };
    },
    async list() {
      return selectTokens.all().map(toToken);
    },
    async get(token) {
      const row = selectToken.get(token);
      return row && toToken(row);
    },
    async update(token, changes) {
      const row = updateToken.get({
        token,
        setUses: changes.usesAllowed === undefined ? 0 : 1,
        usesAllowed: changes.usesAllowed ?? null,
        setExpiry: changes.expiryTime === undefined ? 0 : 1,
        expiryTime: changes.expiryTime ?? null,
      });
      return row && toToken(row);
    },
    async consume(token, nowTs) {
      return consumeToken.run({ token, nowTs }).changes === 1;
    },
    async delete(token) {
      return deleteToken.run(token).changes > 0;
    },
  };
}
