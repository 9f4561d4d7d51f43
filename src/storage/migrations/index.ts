/** The ordered list of schema migrations; a new migration is a new dated file appended here. */
import type { Migration } from './migration.js';
import { migration as accounts } from './2026-11-25-001-accounts.js';
import { migration as registrationTokens } from './2026-11-25-002-registration-tokens.js';
import { migration as serverMeta } from './2026-11-25-003-server-meta.js';
import { migration as rooms } from './2026-11-25-010-rooms.js';
import { migration as accountData } from './2026-11-25-020-account-data.js';
import { migration as filters } from './2026-11-25-021-filters.js';
import { migration as profiles } from './2026-11-25-030-profiles.js';
import { migration as deviceSessions } from './2026-11-25-031-device-sessions.js';
import { migration as contentReports } from './2026-11-25-050-content-reports.js';
import { migration as e2e } from './2026-11-25-060-e2e.js';
import { migration as media } from './2026-11-25-070-media.js';
import { migration as envelopeCounters } from './2026-11-25-080-envelope-counters.js';
import { migration as sendTxnsOnEvents } from './2026-11-25-090-send-txns-on-events.js';

export type { Migration } from './migration.js';

/** Every migration, in the order it applies (ids sort ascending; a unit test checks it). */
export const MIGRATIONS: readonly Migration[] = [accounts, registrationTokens, serverMeta, rooms, accountData, filters, profiles, deviceSessions, contentReports, e2e, media, envelopeCounters, sendTxnsOnEvents];
