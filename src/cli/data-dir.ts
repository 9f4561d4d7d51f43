/** Preparing the data dir: created if missing, and proven writable before anything is stored in it. */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from './args.js';

export function ensureDataDir(dir: string): string {
  const abs = resolve(dir);
  try {
    mkdirSync(abs, { recursive: true, mode: 0o700 });
    const probe = join(abs, `.write-test-${process.pid}`);
    writeFileSync(probe, '');
    rmSync(probe);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'EACCES' || code === 'EPERM' || code === 'EROFS' ? 'is not writable' : code === 'ENOTDIR' || code === 'EEXIST' ? 'is not a directory' : `cannot be used (${code ?? (err as Error).message})`;
    throw new UsageError(`data dir ${dir} ${why}`);
  }
  return abs;
}
