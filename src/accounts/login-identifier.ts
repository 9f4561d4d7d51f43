/** The user named by a login or `m.login.password` auth dict (spec §"Identifier types", and the deprecated top-level fields). */
import { MatrixError, forbidden, missingParam } from '../http/errors.js';

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * The local user id that `dict` identifies, through `identifier` (`m.id.user`) or the deprecated `user`.
 * Third-party identifiers are answered 403 M_FORBIDDEN: this server keeps no 3PIDs, so it never knows one.
 * A user of another server is 403 M_FORBIDDEN too.
 * @example identifiedUser({ identifier: { type: 'm.id.user', user: 'alice' } }, accounts.localUserId) // '@alice:hs'
 */
export function identifiedUser(dict: Record<string, unknown>, localUserId: (nameOrId: string) => string | undefined): string {
  const identifier = dict.identifier;
  let name: unknown;
  if (isObject(identifier)) {
    switch (identifier.type) {
      case 'm.id.user':
        name = identifier.user;
        if (typeof name !== 'string') throw missingParam('User identifier is missing \'user\' key');
        break;
      case 'm.id.thirdparty':
      case 'm.id.phone':
        throw forbidden('Unknown third-party identifier');
      default:
        throw new MatrixError(400, 'M_UNKNOWN', 'Unknown login identifier type');
    }
  } else if (identifier !== undefined) {
    throw new MatrixError(400, 'M_BAD_JSON', 'identifier must be an object');
  } else if (typeof dict.user === 'string') {
    name = dict.user;
  } else if (dict.medium !== undefined || dict.address !== undefined) {
    throw forbidden('Unknown third-party identifier');
  } else {
    throw missingParam('Missing param: identifier');
  }
  const userId = localUserId(name as string);
  if (userId === undefined) throw forbidden('Invalid username or password');
  return userId;
}
