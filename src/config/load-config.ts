/** Resolves hub settings from flags, HEARTH_* environment variables, an optional YAML file and defaults, in that order. */
import { readFileSync } from 'node:fs';
import { ConfigError, DEFAULTS, START_OPTIONS, withDerivedDefaults, type HubConfig, type OptionSpec } from './options.js';

/** `data-dir` -> `HEARTH_DATA_DIR`. */
export const envName = (flag: string): string => `HEARTH_${flag.replace(/-/g, '_').toUpperCase()}`;

async function readYaml(file: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read config file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const { parse } = await import('yaml'); // loaded only when a config file is used
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new ConfigError(`config file ${file} is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new ConfigError(`config file ${file} must be a YAML mapping of settings`);
  return doc as Record<string, unknown>;
}

export interface ConfigSources {
  /** Flag values as given on the command line, keyed by flag name (`data-dir`). */
  flags: Record<string, string | undefined>;
  env: NodeJS.ProcessEnv;
  /** The --config file, if any (a flag or HEARTH_CONFIG). */
  configFile?: string;
}

/**
 * Builds the HubConfig. YAML keys may be written `data_dir` or `data-dir`; an unknown key is an error,
 * so a typo never silently falls back to a default.
 */
export async function loadConfig(src: ConfigSources): Promise<HubConfig> {
  const file = src.configFile ?? src.env.HEARTH_CONFIG;
  const yaml = file ? await readYaml(file) : {};
  const byFlag = new Map<string, OptionSpec>(START_OPTIONS.map((o) => [o.flag, o]));
  const fromFile = new Map<string, string>();
  for (const [rawKey, value] of Object.entries(yaml)) {
    const flag = rawKey.replace(/_/g, '-');
    if (!byFlag.has(flag)) throw new ConfigError(`unknown setting "${rawKey}" in ${file}`);
    if (value === null || typeof value === 'object') throw new ConfigError(`setting "${rawKey}" in ${file} must be a single value`);
    fromFile.set(flag, typeof value === 'boolean' ? (value ? 'on' : 'off') : String(value));
  }
  const out: Record<string, unknown> = { ...DEFAULTS };
  for (const opt of START_OPTIONS) {
    const raw = src.flags[opt.flag] ?? src.env[envName(opt.flag)] ?? fromFile.get(opt.flag);
    if (raw === undefined) continue;
    out[opt.key] = opt.parse(raw);
  }
  return withDerivedDefaults(out as Parameters<typeof withDerivedDefaults>[0]);
}
