/** Account hooks: what other services learn from the account endpoints (profile changes, deactivation, deleted devices). */
import type { Logger } from '../log.js';

/** A user's profile as the hooks receive it (wire names). */
export interface ProfileChange {
  displayname: string | null;
  avatar_url: string | null;
}

/**
 * Runs an optional hook after the account change is committed. A failing hook is logged, not
 * answered to the client: the change itself has already happened.
 */
export async function runHook(log: Logger, name: string, hook: (() => Promise<void>) | undefined): Promise<void> {
  if (!hook) return;
  try {
    await hook();
  } catch (err) {
    log.error({ err, hook: name }, 'account hook failed');
  }
}
