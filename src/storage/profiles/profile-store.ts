/** ProfileStore over the SqlDriver: the `profiles` table, one SQL text for SQLite and PostgreSQL. */
import { UnknownUserError } from '../errors.js';
import type { SqlDriver } from '../sql-driver.js';
import type { ProfileRecord, ProfileStore } from '../profile-types.js';

const SELECT_PROFILE = 'SELECT displayname, avatar_url FROM profiles WHERE user_id = ?';
// Inserting through a SELECT on users makes an unknown user a zero-row insert rather than a driver error.
// The two flags are 1 when the field is to change and 0 to keep the stored value.
const UPSERT_PROFILE = `
INSERT INTO profiles (user_id, displayname, avatar_url)
SELECT user_id, CAST(? AS TEXT), CAST(? AS TEXT) FROM users WHERE user_id = ?
ON CONFLICT (user_id) DO UPDATE SET
  displayname = CASE WHEN ? = 1 THEN excluded.displayname ELSE profiles.displayname END,
  avatar_url  = CASE WHEN ? = 1 THEN excluded.avatar_url ELSE profiles.avatar_url END`;

interface ProfileRow {
  displayname: string | null;
  avatar_url: string | null;
}

export function createProfileStore(db: SqlDriver): ProfileStore {
  async function get(userId: string): Promise<ProfileRecord | undefined> {
    const row = await db.get<ProfileRow>(SELECT_PROFILE, [userId]);
    return row && { displayname: row.displayname, avatarUrl: row.avatar_url };
  }
  return {
    get,
    async set(userId, changes) {
      const { changes: n } = await db.run(UPSERT_PROFILE, [
        changes.displayname ?? null, changes.avatarUrl ?? null, userId,
        changes.displayname === undefined ? 0 : 1, changes.avatarUrl === undefined ? 0 : 1,
      ]);
      if (n === 0) throw new UnknownUserError(userId);
      return (await get(userId))!;
    },
  };
}
