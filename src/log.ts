/** The logger: JSON lines in pino's format (so pino-pretty reads them), with levels and child bindings. */

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';

const LEVELS: Record<LogLevel, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity };

export const LOG_LEVELS = Object.keys(LEVELS) as LogLevel[];

type LogFn = (objOrMsg: Record<string, unknown> | string, msg?: string) => void;

export interface Logger {
  trace: LogFn; debug: LogFn; info: LogFn; warn: LogFn; error: LogFn; fatal: LogFn;
  child(bindings: Record<string, unknown>): Logger;
  isLevelEnabled(level: LogLevel): boolean;
}

export interface LoggerOptions {
  level?: LogLevel;
  /** Where lines go; default process.stdout. */
  write?: (line: string) => void;
  bindings?: Record<string, unknown>;
}

function serializeError(err: unknown): unknown {
  if (err instanceof Error) return { type: err.name, message: err.message, stack: err.stack };
  return err;
}

/** Creates a logger. `createLogger({level: 'silent'})` is the null logger for tests. */
export function createLogger(opts: LoggerOptions = {}): Logger {
  const threshold = LEVELS[opts.level ?? 'info'];
  const write = opts.write ?? ((line: string) => process.stdout.write(line));
  const bindings = opts.bindings ?? {};
  const make = (level: LogLevel): LogFn => {
    const n = LEVELS[level];
    if (n < threshold) return () => {};
    return (objOrMsg, msg) => {
      const obj = typeof objOrMsg === 'string' ? { msg: objOrMsg } : { ...objOrMsg, ...(msg !== undefined ? { msg } : {}) };
      if ('err' in obj) obj.err = serializeError(obj.err);
      write(JSON.stringify({ level: n, time: Date.now(), ...bindings, ...obj }) + '\n');
    };
  };
  return {
    trace: make('trace'), debug: make('debug'), info: make('info'), warn: make('warn'), error: make('error'), fatal: make('fatal'),
    child: (b) => createLogger({ ...opts, bindings: { ...bindings, ...b } }),
    isLevelEnabled: (level) => LEVELS[level] >= threshold,
  };
}
