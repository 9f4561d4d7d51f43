/** User id grammar (appendices §"User Identifiers"): localparts, full ids and their server part. */

const LOCALPART = /^[a-z0-9._=\-/+]+$/;

/** Whether a localpart is valid for a new user (lowercase, digits and `._=-/+`). */
export function isValidLocalpart(localpart: string): boolean {
  return localpart.length > 0 && LOCALPART.test(localpart);
}

/** `@localpart:server`; the whole id may be at most 255 bytes. */
export function userIdFor(localpart: string, serverName: string): string {
  return `@${localpart}:${serverName}`;
}

/** Splits `@local:server` (the server part may carry a port); undefined when it is not a user id. */
export function parseUserId(userId: string): { localpart: string; serverName: string } | undefined {
  if (!userId.startsWith('@')) return undefined;
  const i = userId.indexOf(':');
  if (i < 2 || i === userId.length - 1) return undefined;
  return { localpart: userId.slice(1, i), serverName: userId.slice(i + 1) };
}

/** The localpart of `nameOrId` when it names a user of `serverName` (`alice` or `@alice:server`). */
export function localpartOf(nameOrId: string, serverName: string): string | undefined {
  if (!nameOrId.startsWith('@')) return nameOrId.toLowerCase();
  const parsed = parseUserId(nameOrId);
  return parsed && parsed.serverName === serverName ? parsed.localpart : undefined;
}
