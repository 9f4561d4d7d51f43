/** Test support: loads the spec's OpenAPI YAML with every file it `$ref`s, and builds the ajv instance that resolves those refs. */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

/** ajv and ajv-formats are CommonJS; under NodeNext their default export is the module object. */
const Ajv2020 = Ajv2020Module.default;
const addFormats = addFormatsModule.default;
export type Ajv = InstanceType<typeof Ajv2020>;

/** Every parsed YAML file of an API folder plus the files they reach through `$ref`, keyed by absolute path. */
export type SpecDocs = Map<string, unknown>;

/** The file part of a `$ref` (before `#`), resolved against the file the ref is written in; undefined for a same-file ref. */
export function refTarget(fromFile: string, ref: string): { file: string; pointer: string } {
  const hash = ref.indexOf('#');
  const filePart = hash === -1 ? ref : ref.slice(0, hash);
  const pointer = hash === -1 ? '' : ref.slice(hash + 1);
  return { file: filePart.trim() === '' ? fromFile : resolve(dirname(fromFile), filePart.trim()), pointer };
}

function collectRefs(node: unknown, out: string[]): void {
  if (Array.isArray(node)) { for (const x of node) collectRefs(x, out); return; }
  if (typeof node !== 'object' || node === null) return;
  for (const [k, v] of Object.entries(node)) {
    if (k === '$ref' && typeof v === 'string') out.push(v);
    else collectRefs(v, out);
  }
}

/** Bump when the cached form changes. */
const CACHE_FORMAT = 1;

/**
 * Parses YAML through a JSON cache keyed by the text's sha256: the `yaml` package needs about 2 s (cold)
 * for the whole spec, JSON.parse a few ms. A cache entry never goes stale, it is simply not found again.
 */
function parseYamlCached(text: string, cacheDir: string | null): unknown {
  if (cacheDir === null) return parse(text, { uniqueKeys: false, prettyErrors: false });
  const key = createHash('sha256').update(`${CACHE_FORMAT}\n`).update(text).digest('hex');
  const entry = join(cacheDir, `${key}.json`);
  try { return JSON.parse(readFileSync(entry, 'utf8')); } catch { /* not cached yet */ }
  const doc: unknown = parse(text, { uniqueKeys: false, prettyErrors: false });
  try {
    mkdirSync(cacheDir, { recursive: true });
    const tmp = `${entry}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(doc));
    renameSync(tmp, entry); // atomic: concurrent test processes never read a half-written entry
  } catch { /* an unwritable cache only costs time */ }
  return doc;
}

/** Where parsed spec files are cached (shared by every test process of this user). */
export const DEFAULT_YAML_CACHE = join(tmpdir(), `hearth-openapi-cache-${process.getuid?.() ?? 0}`);

/**
 * Parses every `*.yaml` directly in `apiDir` and, transitively, every file referenced by a `$ref`
 * (definitions/, ../../schemas, event-schemas, ...). `cacheDir: null` disables the parse cache.
 */
export function loadSpecDocs(apiDir: string, cacheDir: string | null = DEFAULT_YAML_CACHE): SpecDocs {
  const docs: SpecDocs = new Map();
  const pending = readdirSync(apiDir).filter((n) => n.endsWith('.yaml')).sort().map((n) => join(apiDir, n));
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (docs.has(file)) continue;
    const doc = parseYamlCached(readFileSync(file, 'utf8'), cacheDir);
    docs.set(file, doc);
    const refs: string[] = [];
    collectRefs(doc, refs);
    for (const ref of refs) {
      const target = refTarget(file, ref).file;
      if (!docs.has(target)) pending.push(target);
    }
  }
  return docs;
}

/** The ajv id of a spec file: its file URL, so relative `$ref`s resolve exactly as on disk. */
export const fileId = (file: string): string => pathToFileURL(file).href;

/** Encodes a JSON pointer (a list of keys) as a URI fragment ajv can follow. */
export function pointerFragment(keys: readonly string[]): string {
  return '#' + keys.map((k) => '/' + encodeURIComponent(k.replace(/~/g, '~0').replace(/\//g, '~1'))).join('');
}

/**
 * The Matrix string formats of the spec's "Common types" appendix, checked leniently (the sigil and
 * basic shape only: room IDs of room version 12 carry no server name).
 */
const MATRIX_FORMATS: Record<string, RegExp> = {
  'mx-user-id': /^@[^:]*:.+$/,
  'mx-room-id': /^![^\s]+$/,
  'mx-event-id': /^\$[^\s]+$/,
  'mx-room-alias': /^#[^:]*:.+$/,
  'mx-server-name': /^\S+$/,
  'mx-mxc-uri': /^mxc:\/\/[^/]+\/.+$/,
  'mx-unpadded-base64': /^[A-Za-z0-9+/]*$/,
  'mx-urlsafe-unpadded-base64': /^[A-Za-z0-9_-]*$/,
};

function collectFormats(node: unknown, out: Set<string>): void {
  if (Array.isArray(node)) { for (const x of node) collectFormats(x, out); return; }
  if (typeof node !== 'object' || node === null) return;
  for (const [k, v] of Object.entries(node)) {
    if (k === 'format' && typeof v === 'string') out.add(v);
    else collectFormats(v, out);
  }
}

/**
 * An ajv (JSON Schema draft 2020-12, the dialect of OpenAPI 3.1) holding every doc under its file URL.
 * OpenAPI-only keywords (`example`, `x-*`, `paths`, ...) are ignored (strict off); formats ajv-formats
 * does not know are accepted as-is, and the Matrix ones get a lenient shape check.
 */
export function createSpecAjv(docs: SpecDocs): Ajv {
  const ajv = new Ajv2020({ strict: false, validateSchema: false, allErrors: true, logger: false });
  addFormats(ajv);
  const formats = new Set<string>();
  for (const doc of docs.values()) collectFormats(doc, formats);
  for (const name of formats) {
    if (ajv.formats[name] !== undefined) continue;
    const re = MATRIX_FORMATS[name];
    ajv.addFormat(name, re ?? true);
  }
  for (const [file, doc] of docs) {
    // An explicit $id: ajv otherwise resolves refs inside a file reached through a `$ref`-only
    // schema against the referring file instead of the file itself.
    if (typeof doc === 'object' && doc !== null && !Array.isArray(doc)) ajv.addSchema({ ...doc, $id: fileId(file) });
  }
  return ajv;
}
