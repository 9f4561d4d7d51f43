/** The ordered list of schema migrations; a new migration is a new dated file appended here. */
import type { Migration } from './migration.js';
import { migration as accounts } from './2026-11-25-001-accounts.js';
import { migration as registrationTokens } from './2026-11-25-002-registration-tokens.js';
import { migration as serverMeta } from './2026-11-25-003-server-meta.js';

export type { Migration } from './migration.js';

/** Every migration, in the order it applies (ids sort ascending; a unit test checks it). */
export const MIGRATIONS: readonly Migration[] = [accounts, registrationTokens, serverMeta];
