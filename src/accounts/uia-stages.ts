/** The auth stages Hearth offers (spec §"Authentication types"): m.login.dummy, m.login.password and m.login.registration_token. */
import { MatrixError } from '../http/errors.js';
import type { Store } from '../storage/types.js';
import { isRegistrationTokenValid } from '../storage/registration-token-rules.js';
import type { Accounts } from './accounts.js';
import { identifiedUser } from './login-identifier.js';
import { UiaStageError, type UiaStage } from './uia.js';

export const DUMMY = 'm.login.dummy';
export const PASSWORD = 'm.login.password';
export const REGISTRATION_TOKEN = 'm.login.registration_token';

/** The session data key under which a checked registration token is kept until registration completes. */
export const REGISTRATION_TOKEN_KEY = 'registrationToken';

/** m.login.dummy: always succeeds. */
export const dummyStage: UiaStage = () => undefined;

/** m.login.password for an authenticated endpoint: the identified user must be the caller, and the password theirs. */
export function passwordStage(accounts: Accounts): UiaStage {
  return async (auth, session) => {
    try {
      const userId = identifiedUser(auth, accounts.localUserId);
      if (typeof auth.password !== 'string') throw new UiaStageError('M_MISSING_PARAM', 'Missing parameter: password');
      if (userId !== session.userId) throw new UiaStageError('M_FORBIDDEN', 'Invalid username or password');
      await accounts.checkPassword(userId, auth.password);
    } catch (err) {
      if (err instanceof MatrixError && err.status < 500) throw new UiaStageError(err.errcode, err.message);
      throw err;
    }
  };
}

/**
 * m.login.registration_token (spec §"Token-authenticated registration"): the token must be valid now.
 * It is only remembered here; registration consumes it atomically when the account is created.
 */
export function registrationTokenStage(store: Store, now: () => number): UiaStage {
  return async (auth, session) => {
    const token = auth.token;
    if (typeof token !== 'string') throw new UiaStageError('M_MISSING_PARAM', 'Missing parameter: token');
    const record = await store.registrationTokens.get(token);
    if (!record || !isRegistrationTokenValid(record, now())) throw new UiaStageError('M_UNAUTHORIZED', 'Invalid registration token');
    session.data[REGISTRATION_TOKEN_KEY] = token;
  };
}
