/** PostgreSQL RegistrationTokenStore: `registration_tokens`, with consume as one conditional UPDATE. */
import { RegistrationTokenExistsError } from '../errors.js';
import type { RegistrationTokenRecord, RegistrationTokenStore } from '../types.js';
import { run, statement, toNumberOrNull, type Queryable } from './query.js';

const TOKEN_COLUMNS = 'token, uses_allowed, completed, expiry_time';

const INSERT_TOKEN = statement('insert_registration_token', `
INSERT INTO registration_tokens (token, uses_allowed, completed, expiry_time)
VALUES ($1, $2, 0, $3)
ON CONFLICT DO NOTHING
RETURNING ${TOKEN_COLUMNS}`);
const SELECT_TOKEN = statement('select_registration_token', `SELECT ${TOKEN_COLUMNS} FROM registration_tokens WHERE token = $1`);
const SELECT_TOKENS = statement('select_registration_tokens', `SELECT ${TOKEN_COLUMNS} FROM registration_tokens ORDER BY token`);
// $2 / $4 are true when the field is to change, false to keep it.
const UPDATE_TOKEN = statement('update_registration_token', `
UPDATE registration_tokens
SET uses_allowed = CASE WHEN $2 THEN $3::integer ELSE uses_allowed END,
    expiry_time  = CASE WHEN $4 THEN $5::bigint ELSE expiry_time END
WHERE token = $1
RETURNING ${TOKEN_COLUMNS}`);
// The same rule as isRegistrationTokenValid. Under READ COMMITTED a concurrent UPDATE of the
// row re-checks this WHERE clause after the lock is released, so uses are never exceeded.
const CONSUME_TOKEN = statement('consume_registration_token', `
UPDATE registration_tokens SET completed = completed + 1
WHERE token = $1
  AND (uses_allowed IS NULL OR completed < uses_allowed)
  AND (expiry_time IS NULL OR expiry_time >= $2)`);
const DELETE_TOKEN = statement('delete_registration_token', 'DELETE FROM registration_tokens WHERE token = $1');

interface TokenRow {
  token: string;
  uses_allowed: number | null;
  completed: number;
  expiry_time: string | null;
}

function toToken(row: TokenRow): RegistrationTokenRecord {
  return { token: row.token, usesAllowed: row.uses_allowed, completed: row.completed, expiryTime: toNumberOrNull(row.expiry_time) };
}

/** Builds the store over a pool whose search_path reaches the migrated schema. */
export function createPostgresRegistrationTokenStore(db: Queryable): RegistrationTokenStore {
  return {
    async add({ token, usesAllowed, expiryTime }) {
      const { rows } = await run<TokenRow>(db, INSERT_TOKEN, [token, usesAllowed, expiryTime]);
      if (rows.length === 0) throw new RegistrationTokenExistsError(token);
      return toToken(rows[0]);
    },
    async list() {
      return (await run<TokenRow>(db, SELECT_TOKENS, [])).rows.map(toToken);
    },
    async get(token) {
      const { rows } = await run<TokenRow>(db, SELECT_TOKEN, [token]);
      return rows.length > 0 ? toToken(rows[0]) : undefined;
    },
    async update(token, changes) {
      const values = [
        token,
        changes.usesAllowed !== undefined,
        changes.usesAllowed ?? null,
        changes.expiryTime !== undefined,
        changes.expiryTime ?? null,
      ];
      const { rows } = await run<TokenRow>(db, UPDATE_TOKEN, values);
      return rows.length > 0 ? toToken(rows[0]) : undefined;
    },
    async consume(token, nowTs) {
      return (await run(db, CONSUME_TOKEN, [token, nowTs])).rowCount === 1;
    },
    async delete(token) {
      return ((await run(db, DELETE_TOKEN, [token])).rowCount ?? 0) > 0;
    },
  };
}
