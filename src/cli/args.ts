/** Command-line parsing shared by every `hearth` subcommand: flags, positionals and the config they resolve to. */
import { parseArgs } from 'node:util';
import { ConfigError, START_OPTIONS, COMMON_FLAGS, type HubConfig } from '../config/options.js';
import { loadConfig } from '../config/load-config.js';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

type FlagSpec = { type: 'string' | 'boolean'; short?: string };

export interface ParsedCommand {
  config: HubConfig;
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/**
 * Parses `argv` for a subcommand: `hubFlags` says which hub settings it takes ('all' for start,
 * 'common' for the admin commands), `own` adds the subcommand's own flags.
 */
export async function parseCommand(
  argv: string[], env: NodeJS.ProcessEnv, hubFlags: 'all' | 'common', own: Record<string, FlagSpec> = {}, maxPositionals = 0,
): Promise<ParsedCommand> {
  const options: Record<string, FlagSpec> = { config: { type: 'string' }, help: { type: 'boolean', short: 'h' }, ...own };
  for (const o of START_OPTIONS) if (hubFlags === 'all' || COMMON_FLAGS.has(o.flag)) options[o.flag] = { type: 'string' };
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: true });
  } catch (err) {
    const msg = (err as Error).message.replace(/\. To specify a positional argument.*$/s, '').replace(/^Option '(.*?)'/, 'option $1');
    throw new UsageError(msg.charAt(0).toLowerCase() + msg.slice(1));
  }
  if (parsed.positionals.length > maxPositionals) throw new UsageError(`unexpected argument "${parsed.positionals[maxPositionals]}"`);
  const flags: Record<string, string | undefined> = {};
  for (const o of START_OPTIONS) {
    const v = parsed.values[o.flag];
    if (typeof v === 'string') flags[o.flag] = v;
  }
  const configFile = typeof parsed.values.config === 'string' ? parsed.values.config : undefined;
  const config = await loadConfig({ flags, env, configFile });
  return { config, values: parsed.values as Record<string, string | boolean | undefined>, positionals: parsed.positionals };
}

export { ConfigError };
