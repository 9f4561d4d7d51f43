/** A lowdb adapter that writes JSON atomically and durably: unique temp file, fsync, rename, fsync of the directory. */
import { open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Adapter } from 'lowdb';

/**
 * lowdb's own JSONFile also renames a temp file into place, but it does not fsync (a power cut can leave an
 * empty file on some file systems) and its temp name is fixed, so two processes writing at once would clobber
 * each other's temp file. This adapter fixes both; a reader never sees a half-written file.
 */
export class DurableJsonFile<T> implements Adapter<T> {
  private seq = 0;

  constructor(private readonly file: string, private readonly mode = 0o600) {}

  async read(): Promise<T | null> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    return JSON.parse(text) as T;
  }

  async write(data: T): Promise<void> {
    const tmp = join(dirname(this.file), `.${basename(this.file)}.${process.pid}.${++this.seq}.tmp`);
    const fh = await open(tmp, 'w', this.mode);
    try {
      await fh.writeFile(JSON.stringify(data, null, 2) + '\n', 'utf8');
      await fh.sync();
    } finally {
      await fh.close();
    }
    try {
      await rename(tmp, this.file);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    const dir = await open(dirname(this.file), 'r');
    try { await dir.sync(); } catch { /* some file systems cannot fsync a directory */ } finally { await dir.close(); }
  }
}
