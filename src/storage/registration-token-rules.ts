/** The validity rule of registration tokens, shared by the `/validity` endpoint and the stores' `consume`. */
import type { RegistrationTokenRecord } from './types.js';

/**
 * Whether `record` can complete one more registration at `nowTs`. As in Synapse, the token is
 * still valid at exactly `expiryTime`. Unlike Synapse (which treats 0 as unlimited through a
 * falsy check), `usesAllowed: 0` means no uses; null is unlimited. Both backends' `consume`
 * SQL encodes the same rule.
 */
export function isRegistrationTokenValid(record: RegistrationTokenRecord, nowTs: number): boolean {
  if (record.expiryTime !== null && record.expiryTime < nowTs) return false;
  if (record.usesAllowed !== null && record.completed >= record.usesAllowed) return false;
  return true;
}
