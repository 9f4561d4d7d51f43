#!/usr/bin/env -S MALLOC_ARENA_MAX=1 MALLOC_MMAP_THRESHOLD_=65536 node --max-semi-space-size=2 --heap-growing-percent=30
/** The `hearth` command: dispatches subcommands and turns every failure into one line and an exit code. */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../config/options.js';
import { ListenError } from '../http/listen.js';
import { StorageError } from '../storage/errors.js';
import { HEARTH_VERSION } from '../version.js';
import { rotateServerKey } from '../keys/signing-key.js';
import { startCommand } from './start.js';
import { userCommand, registrationTokenCommand } from './admin-commands.js';
import { deviceCommand } from './device-commands.js';
import { parseCommand, UsageError } from './args.js';
import { ensureDataDir } from './data-dir.js';
import { helpText } from './help.js';
import type { CliIo } from './io.js';

/** Runs `hearth ARGS`; resolves to the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case 'start': return await startCommand(rest, io);
      case 'user': return await userCommand(rest, io);
      case 'registration-token': return await registrationTokenCommand(rest, io);
      case 'device': return await deviceCommand(rest, io);
      case 'signing-key': {
        if (rest[0] !== 'rotate') throw new UsageError('signing-key needs a command: rotate');
        const { config } = await parseCommand(rest.slice(1), io.env, 'common');
        const keys = rotateServerKey(ensureDataDir(config.dataDir), io.now());
        io.out(`new signing key ${keys.current.keyId}; restart the hub to serve it`);
        return 0;
      }
      case '--version': case '-v': io.out(HEARTH_VERSION); return 0;
      case undefined: case '--help': case '-h': case 'help': io.out(helpText(rest[0] ?? '')); return 0;
      default: throw new UsageError(`unknown command "${cmd}"`);
    }
  } catch (err) {
    if (err instanceof UsageError || err instanceof ConfigError) {
      io.err(`hearth: ${err.message} (see hearth ${cmd && cmd !== 'help' ? `${cmd} ` : ''}--help)`);
      return 2;
    }
    if (err instanceof ListenError || err instanceof StorageError) { io.err(`hearth: ${err.message}`); return 1; }
    // Anything else: one line, never a stack trace; the details go to the log at debug level.
    io.err(`hearth: ${(err as Error)?.message ?? String(err)}`.split('\n')[0]!);
    if (io.env.HEARTH_DEBUG) io.err(String((err as Error)?.stack));
    return 1;
  }
}

function invokedDirectly(): boolean {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

const isMain = invokedDirectly();
if (isMain) {
  const io: CliIo = {
    out: (line) => process.stdout.write(line + '\n'),
    err: (line) => process.stderr.write(line + '\n'),
    log: (line) => process.stdout.write(line),
    env: process.env,
    onSignal: (signal, fn) => process.on(signal, fn),
    help: helpText,
    now: Date.now,
  };
  runCli(process.argv.slice(2), io).then((code) => {
    process.exitCode = code;
    // Start-up failures may leave handles (a half-open database); do not hang on them.
    if (code !== 0) setImmediate(() => process.exit(code));
  });
}
