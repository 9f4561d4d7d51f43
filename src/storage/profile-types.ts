/** The storage contract of user profiles: display name and avatar URL per local user. */

/** A user's profile; null fields are unset. */
export interface ProfileRecord {
  displayname: string | null;
  avatarUrl: string | null;
}

/** Changes for {@link ProfileStore.set}; an absent field is left as stored, null clears it. */
export interface ProfileChanges {
  displayname?: string | null;
  avatarUrl?: string | null;
}

/** Profiles of local users (spec §"Profiles"). */
export interface ProfileStore {
  /** The stored profile, or undefined when the user has none (unknown user, or no profile row yet). */
  get(userId: string): Promise<ProfileRecord | undefined>;
  /** Creates or updates the profile and resolves to it. Rejects with `UnknownUserError` for an unknown user. */
  set(userId: string, changes: ProfileChanges): Promise<ProfileRecord>;
}
