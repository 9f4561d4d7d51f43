/** Where media bytes live: DATA_DIR/media/<first two chars>/<media id>, with uploads arriving in DATA_DIR/media/tmp. */
import { mkdir, open, readdir, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { join, resolve } from 'node:path';

export interface MediaDirs {
  /** DATA_DIR/media */
  root: string;
  /** DATA_DIR/media/tmp: raw upload bodies, on the same filesystem so moving one into place is a rename. */
  tmp: string;
}

export function mediaDirs(dataDir: string): MediaDirs {
  const root = join(resolve(dataDir), 'media');
  return { root, tmp: join(root, 'tmp') };
}

/** The file of a (valid) media id. */
export function mediaFilePath(dirs: MediaDirs, mediaId: string): string {
  return join(dirs.root, mediaId.slice(0, 2), mediaId);
}

/** Moves a received upload (a temp file in `dirs.tmp`) into place as the media id's file. */
export async function moveIntoPlace(dirs: MediaDirs, mediaId: string, tempPath: string): Promise<void> {
  const dest = mediaFilePath(dirs, mediaId);
  await mkdir(join(dirs.root, mediaId.slice(0, 2)), { recursive: true });
  await rename(tempPath, dest);
}

/** Opens a media id's file for reading; undefined when it is missing. */
export async function openMediaFile(dirs: MediaDirs, mediaId: string): Promise<FileHandle | undefined> {
  try {
    return await open(mediaFilePath(dirs, mediaId), 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

export async function removeMediaFile(dirs: MediaDirs, mediaId: string): Promise<void> {
  await rm(mediaFilePath(dirs, mediaId), { force: true });
}

/** Deletes upload temp files untouched for `olderThanMs` (left by a crash mid-upload); resolves to how many. */
export async function sweepTempFiles(dirs: MediaDirs, nowMs: number, olderThanMs: number): Promise<number> {
  let names: string[];
  try { names = await readdir(dirs.tmp); } catch { return 0; }
  let removed = 0;
  for (const name of names) {
    const p = join(dirs.tmp, name);
    const st = await stat(p).catch(() => undefined);
    if (st?.isFile() && nowMs - st.mtimeMs > olderThanMs) { await rm(p, { force: true }); removed++; }
  }
  return removed;
}
