/** `hearth user …` and `hearth registration-token …`: account admin against the data dir's database, hub running or not. */
import { randomBytes } from 'node:crypto';
import { openStore } from '../storage/index.js';
import type { Store } from '../storage/types.js';
import { RegistrationTokenExistsError } from '../storage/errors.js';
import { createLogger } from '../log.js';
import { createAccounts } from '../accounts/accounts.js';
import { generatePassword } from '../accounts/passwords.js';
import { localpartOf } from '../accounts/user-ids.js';
import { MatrixError } from '../http/errors.js';
import type { HubConfig } from '../config/options.js';
import { parseCommand, UsageError } from './args.js';
import { ensureDataDir } from './data-dir.js';
import type { CliIo } from './io.js';

async function withStore<T>(config: HubConfig, io: CliIo, fn: (store: Store) => Promise<T>): Promise<T> {
  const dataDir = ensureDataDir(config.dataDir);
  const store = await openStore({ database: config.database, dataDir, log: createLogger({ level: 'warn', write: io.log }) });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** `hearth user add NAME [--password P] [--admin]` and `hearth user list`. */
export async function userCommand(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'add') {
    const { config, values, positionals } = await parseCommand(rest, io.env, 'common', { password: { type: 'string' }, admin: { type: 'boolean' } }, 1);
    if (values.help) { io.out(io.help('user')); return 0; }
    const name = positionals[0];
    if (!name) throw new UsageError('user add needs a NAME, e.g. hearth user add alice');
    const localpart = localpartOf(name, config.serverName);
    if (localpart === undefined) throw new UsageError(`${name} is not a user of ${config.serverName}`);
    const generated = values.password === undefined;
    const password = generated ? generatePassword() : String(values.password);
    if (password === '') throw new UsageError('--password must not be empty');
    return withStore(config, io, async (store) => {
      try {
        const user = await createAccounts({ store, serverName: config.serverName, now: io.now }).createUser({ localpart, password, admin: values.admin === true });
        io.out(user.userId);
        if (generated) io.out(`password: ${password}`);
        return 0;
      } catch (err) {
        if (err instanceof MatrixError) throw new UsageError(err.errcode === 'M_USER_IN_USE' ? `user @${localpart}:${config.serverName} already exists` : err.message);
        throw err;
      }
    });
  }
  if (sub === 'list') {
    const { config, values } = await parseCommand(rest, io.env, 'common');
    if (values.help) { io.out(io.help('user')); return 0; }
    return withStore(config, io, async (store) => {
      for (const u of await store.accounts.listUsers()) {
        const flags = [u.admin && 'admin', u.isGuest && 'guest', u.deactivated && 'deactivated'].filter(Boolean).join(',');
        io.out(flags ? `${u.userId}\t${flags}` : u.userId);
      }
      return 0;
    });
  }
  throw new UsageError(sub ? `unknown command "user ${sub}" (use add or list)` : 'user needs a command: add or list');
}

/** Parses `7d`, `12h`, `30m` or an ISO date into an absolute ms timestamp. */
function parseExpiry(raw: string, now: number): number {
  const m = /^(\d+)([smhdw])$/.exec(raw);
  if (m) return now + Number(m[1]) * { s: 1e3, m: 6e4, h: 36e5, d: 864e5, w: 6048e5 }[m[2] as 's']!;
  const t = Date.parse(raw);
  if (Number.isNaN(t)) throw new UsageError(`--expires must be a duration like 7d or 12h, or a date like 2027-01-31, not "${raw}"`);
  return t;
}

/** `hearth registration-token add [TOKEN] [--uses N] [--expires 7d]` and `… list`. */
export async function registrationTokenCommand(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'add') {
    const { config, values, positionals } = await parseCommand(rest, io.env, 'common', { uses: { type: 'string' }, expires: { type: 'string' } }, 1);
    if (values.help) { io.out(io.help('registration-token')); return 0; }
    // Registration tokens: 1–64 characters of [A-Za-z0-9._~-] (spec: token-authenticated registration).
    const token = positionals[0] ?? randomBytes(12).toString('base64url');
    if (!/^[A-Za-z0-9._~-]{1,64}$/.test(token)) throw new UsageError('a registration token is 1-64 characters of A-Z a-z 0-9 . _ ~ -');
    let usesAllowed: number | null = null;
    if (values.uses !== undefined) {
      if (!/^\d+$/.test(String(values.uses))) throw new UsageError(`--uses must be a whole number, not "${values.uses}"`);
      usesAllowed = Number(values.uses);
    }
    const expiryTime = values.expires === undefined ? null : parseExpiry(String(values.expires), io.now());
    return withStore(config, io, async (store) => {
      try {
        await store.registrationTokens.add({ token, usesAllowed, expiryTime });
      } catch (err) {
        if (err instanceof RegistrationTokenExistsError) throw new UsageError(`registration token ${token} already exists`);
        throw err;
      }
      io.out(token);
      return 0;
    });
  }
  if (sub === 'list') {
    const { config, values } = await parseCommand(rest, io.env, 'common');
    if (values.help) { io.out(io.help('registration-token')); return 0; }
    return withStore(config, io, async (store) => {
      for (const t of await store.registrationTokens.list()) {
        const uses = t.usesAllowed === null ? `${t.completed} used` : `${t.completed}/${t.usesAllowed} used`;
        const expiry = t.expiryTime === null ? 'never expires' : `expires ${new Date(t.expiryTime).toISOString()}`;
        io.out(`${t.token}\t${uses}\t${expiry}`);
      }
      return 0;
    });
  }
  throw new UsageError(sub ? `unknown command "registration-token ${sub}" (use add or list)` : 'registration-token needs a command: add or list');
}
