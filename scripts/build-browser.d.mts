// Types of scripts/build-browser.mjs, for the bench and the tests that import it.
import type { Metafile } from 'esbuild';

export declare const ENTRY: string;
export declare const OUTFILE: string;
export interface BrowserBuild {
  /** Bytes of the written bundle. */
  bytes: number;
  /** Bytes after gzip -9. */
  gzipBytes: number;
  metafile: Metafile;
  text: string;
}
export declare function buildBrowser(opts?: { outfile?: string; minify?: boolean }): Promise<BrowserBuild>;
