/** DirectoryStore over the SqlDriver: current state joined with event JSON, read across rooms, one SQL text for both backends. */
import type { SqlDriver } from '../sql-driver.js';
import type { DirectoryStore, JoinedMember } from '../directory-types.js';

// current_state_by_member (state_key, type) serves `state_key = '' AND type = ?`.
const SELECT_STATE_CONTENT = `SELECT cs.room_id, e.json, e.redacted_by FROM current_state cs JOIN events e ON e.event_id = cs.event_id
  WHERE cs.state_key = '' AND cs.type = ?`;
const joinedSql = (n: number) => `SELECT cs.room_id, cs.state_key, e.json, e.redacted_by FROM current_state cs JOIN events e ON e.event_id = cs.event_id
  WHERE cs.room_id IN (${Array.from({ length: n }, () => '?').join(',')}) AND cs.type = 'm.room.member' AND cs.membership = 'join'`;

interface ContentRow {
  room_id: string;
  json: string;
  redacted_by: string | null;
}

const contentOf = (json: string): Record<string, unknown> => {
  const c = (JSON.parse(json) as { content?: unknown }).content;
  return typeof c === 'object' && c !== null && !Array.isArray(c) ? (c as Record<string, unknown>) : {};
};

export function createDirectoryStore(db: SqlDriver): DirectoryStore {
  return {
    async roomsWithState(type) {
      // The keys read from these events (join_rule, history_visibility, ...) survive redaction, so content is used as stored.
      return (await db.all<ContentRow>(SELECT_STATE_CONTENT, [type])).map((r) => ({ roomId: r.room_id, content: contentOf(r.json) }));
    },
    async joinedMembers(roomIds) {
      const out: JoinedMember[] = [];
      const unique = [...new Set(roomIds)];
      for (let i = 0; i < unique.length; i += 200) {
        const chunk = unique.slice(i, i + 200);
        for (const r of await db.all<ContentRow & { state_key: string }>(joinedSql(chunk.length), chunk)) {
          const content = contentOf(r.json);
          out.push({ roomId: r.room_id, userId: r.state_key, content: r.redacted_by ? { membership: content.membership } : content });
        }
      }
      return out;
    },
  };
}
