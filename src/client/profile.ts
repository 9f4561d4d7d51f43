/** Profiles (spec §"Profiles"): GET /profile/{userId}, and GET/PUT of its displayname and avatar_url fields. */
import { clientRoute, type RequestContext, type Route } from '../http/route.js';
import { forbidden, invalidParam, missingParam, notFound } from '../http/errors.js';
import { jsonObject } from '../http/body.js';
import type { Services } from '../services.js';
import type { ProfileRecord } from '../storage/profile-types.js';
import { parseUserId } from '../accounts/user-ids.js';
import { runHook } from '../accounts/hooks.js';

/** The two fields of this spec version, with Synapse's length limits. */
const FIELDS = {
  displayname: { key: 'displayname', max: 256 },
  avatar_url: { key: 'avatarUrl', max: 1000 },
} as const;
type FieldName = keyof typeof FIELDS;

function profileJson(p: ProfileRecord | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (p?.displayname) out.displayname = p.displayname;
  if (p?.avatarUrl) out.avatar_url = p.avatarUrl;
  return out;
}

export function profileRoutes(s: Services): Route[] {
  const serverName = s.config.serverName;

  /** The profile of a local user; 404 M_NOT_FOUND for an unknown user (remote profiles need federation, not served yet). */
  async function localProfile(userId: string): Promise<Record<string, string>> {
    const parsed = parseUserId(userId);
    if (!parsed) throw invalidParam('Invalid user id');
    if (parsed.serverName !== serverName || !(await s.store.accounts.getUser(userId))) throw notFound('Profile was not found');
    return profileJson(await s.store.profiles.get(userId));
  }

  function getField(field: FieldName) {
    /** GET /_matrix/client/v3/profile/{userId}/{displayname|avatar_url}: 404 when the user or the field is missing. */
    return async (ctx: RequestContext) => {
      const value = (await localProfile(ctx.params.userId!))[field];
      if (value === undefined) throw notFound(`The user has no ${field}`);
      return { [field]: value };
    };
  }

  function putField(field: FieldName) {
    /** PUT /_matrix/client/v3/profile/{userId}/{displayname|avatar_url}: own profile only (server admins may set any local one). */
    return async (ctx: RequestContext) => {
      const p = ctx.principal!;
      const userId = ctx.params.userId!;
      if (userId !== p.userId && !p.admin) throw forbidden(`Cannot set another user's ${field}`);
      const body = jsonObject(ctx.body);
      if (!(field in body)) throw missingParam(`Missing key '${field}'`);
      const raw = body[field];
      if (raw !== null && typeof raw !== 'string') throw invalidParam(`'${field}' must be a string`);
      if (typeof raw === 'string' && raw.length > FIELDS[field].max) throw invalidParam(`'${field}' is too long (max ${FIELDS[field].max})`);
      if (userId !== p.userId) await localProfile(userId); // an admin naming an unknown user: 404
      // As Synapse: an empty string (or null) clears the field.
      const value = raw === '' ? null : raw;
      const profile = await s.store.profiles.set(userId, { [FIELDS[field].key]: value });
      const change = { displayname: profile.displayname, avatar_url: profile.avatarUrl };
      await runHook(s.log, 'onProfileChange', s.onProfileChange && (() => s.onProfileChange!(userId, change)));
      return {};
    };
  }

  return [
    /** GET /_matrix/client/v3/profile/{userId} */
    ...clientRoute('GET', '/profile/{userId}', 'optional', (ctx) => localProfile(ctx.params.userId!)),
    ...clientRoute('GET', '/profile/{userId}/displayname', 'optional', getField('displayname')),
    ...clientRoute('PUT', '/profile/{userId}/displayname', 'user', putField('displayname')),
    ...clientRoute('GET', '/profile/{userId}/avatar_url', 'optional', getField('avatar_url')),
    ...clientRoute('PUT', '/profile/{userId}/avatar_url', 'user', putField('avatar_url')),
  ];
}
