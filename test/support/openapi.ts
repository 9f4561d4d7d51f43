/** Test support: validates Hearth's Client-Server responses against the spec's own OpenAPI definitions. */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ValidateFunction, ErrorObject } from 'ajv';
import { createSpecAjv, fileId, loadSpecDocs, pointerFragment, refTarget, type Ajv, type SpecDocs } from './openapi-load.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The spec's data folder (matrix-spec `data/`): HEARTH_SPEC_DATA, else `shared/` checked out beside the repository,
 * as CI lays it out.
 */
export const SPEC_DATA_DIR = process.env.HEARTH_SPEC_DATA ?? join(repoRoot, '..', 'shared', 'matrix-spec', 'data');
/** The spec's Client-Server OpenAPI folder. */
export const CLIENT_SERVER_API_DIR = join(SPEC_DATA_DIR, 'api', 'client-server');

/**
 * Whether the spec's definitions are here. CI must have them (.ci/run runs beside `shared/`); a plain clone may not,
 * and then responses are not checked against the spec (`specMissing` says why), while every other assertion runs.
 */
export const specAvailable = existsSync(CLIENT_SERVER_API_DIR);
if (!specAvailable && process.env.CI) throw new Error(`the Matrix spec's OpenAPI definitions are missing at ${CLIENT_SERVER_API_DIR}, and CI must check responses against them`);
export const specMissing = `the Matrix spec's OpenAPI definitions are not at ${CLIENT_SERVER_API_DIR} (set HEARTH_SPEC_DATA to a matrix-spec data/ folder)`;
/** Options for a suite that checks against the spec itself: skipped, saying why, when the definitions are missing. */
export const needsSpec = { skip: specAvailable ? false : specMissing };

/** One operation of the spec: an HTTP method on a full path template such as `/_matrix/client/v3/rooms/{roomId}/join`. */
export interface SpecOperation {
  method: string;
  path: string;
  operationId?: string;
  /** From the operation's `security`: an access token (user or appservice) is required, optional (`{}` listed), or not used. */
  auth: SpecAuth;
}

export type SpecAuth = 'required' | 'optional' | 'none';

export interface ValidationResult {
  ok: boolean;
  errors: string[];
  /** `METHOD /path/template (operationId)` of the matched spec operation. */
  operation?: string;
}

interface Operation extends SpecOperation {
  file: string;
  /** JSON pointer keys from the file's root to the operation object. */
  keys: string[];
  segments: string[];
  op: Record<string, unknown>;
}

/** The spec loaded once: its operations, and compiled response validators cached by (operation, status). */
export interface SpecValidator {
  operations: readonly SpecOperation[];
  /** The operation a method and concrete path (or route template) hit, or a message saying why none does. */
  match(method: string, concretePath: string): SpecOperation | string;
  validateResponse(method: string, concretePath: string, status: number, body: unknown): ValidationResult;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];
const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Follows a JSON pointer (`/a/b~1c`) inside a parsed doc. */
function atPointer(doc: unknown, pointer: string): unknown {
  let node = doc;
  for (const raw of pointer.split('/').slice(1)) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    node = isObject(node) || Array.isArray(node) ? (node as Record<string, unknown>)[key] : undefined;
  }
  return node;
}

/**
 * How an operation authenticates. Only access-token schemes count as required; any other scheme (room_summary.yaml
 * lists `signedRequest`, while its text says servers MAY allow unauthenticated access) is read as optional.
 */
function authOf(op: Record<string, unknown>): SpecAuth {
  const reqs = Array.isArray(op.security) ? op.security.filter(isObject) : [];
  if (reqs.length === 0) return 'none';
  const tokenOnly = reqs.every((r) => Object.keys(r).length > 0 && Object.keys(r).every((k) => /AccessToken/i.test(k)));
  return tokenOnly ? 'required' : 'optional';
}

/** The `basePath` default of a file's first server, e.g. `/_matrix/client/v3`. */
function basePathOf(doc: Record<string, unknown>): string {
  const server = Array.isArray(doc.servers) ? doc.servers[0] : undefined;
  const base = isObject(server) && isObject(server.variables) && isObject(server.variables.basePath) ? server.variables.basePath.default : undefined;
  return typeof base === 'string' ? base : '';
}

function listOperations(docs: SpecDocs, apiDir: string): Operation[] {
  const ops: Operation[] = [];
  for (const [file, doc] of docs) {
    if (!file.startsWith(apiDir) || !isObject(doc) || !isObject(doc.paths)) continue;
    const base = basePathOf(doc);
    for (const [template, item] of Object.entries(doc.paths)) {
      if (!isObject(item)) continue;
      for (const m of METHODS) {
        const op = item[m];
        if (!isObject(op)) continue;
        const path = base + template;
        ops.push({
          method: m.toUpperCase(), path, operationId: typeof op.operationId === 'string' ? op.operationId : undefined, auth: authOf(op),
          file, keys: ['paths', template, m], segments: path.split('/').slice(1), op,
        });
      }
    }
  }
  return ops.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}

/** A concrete request path as the spec names it: no query string, and `/r0` (the pre-1.0 name) read as `/v3`. */
export function canonicalPath(concretePath: string): string {
  const q = concretePath.indexOf('?');
  const path = q === -1 ? concretePath : concretePath.slice(0, q);
  return path.replace(/^\/_matrix\/(client|media)\/r0(?=\/|$)/, '/_matrix/$1/v3');
}

const isParam = (seg: string): boolean => /^\{[^}]+\}$/.test(seg);

/** How well a template fits concrete segments: literal segments matched, or -1 when it does not fit. */
function fit(segments: readonly string[], concrete: readonly string[]): number {
  if (segments.length !== concrete.length) return -1;
  let score = 0;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    if (isParam(seg)) continue;
    let c = concrete[i]!;
    try { c = decodeURIComponent(c); } catch { /* compare raw */ }
    if (seg !== c) return -1;
    score++;
  }
  return score;
}

/** Finds the operation for a method and concrete path; the template with the most literal segments wins. */
function findOperation(ops: readonly Operation[], method: string, concretePath: string): Operation | string {
  const concrete = canonicalPath(concretePath).split('/').slice(1);
  const m = method.toUpperCase() === 'HEAD' ? 'GET' : method.toUpperCase();
  let best: Operation | undefined;
  let bestScore = -1;
  const otherMethods = new Set<string>();
  for (const op of ops) {
    const score = fit(op.segments, concrete);
    if (score < 0) continue;
    if (op.method !== m) { otherMethods.add(`${op.method} ${op.path}`); continue; }
    if (score > bestScore) { best = op; bestScore = score; }
  }
  if (best) return best;
  if (otherMethods.size > 0) return `no spec operation for ${m} ${concretePath}; the spec has ${[...otherMethods].join(', ')}`;
  return `no spec operation matches ${m} ${concretePath}`;
}

/** Resolves an OpenAPI-level `$ref` (a response object) to its file and pointer keys. */
function derefResponse(docs: SpecDocs, file: string, keys: string[], node: unknown): { file: string; keys: string[]; node: unknown } {
  for (let hops = 0; hops < 8 && isObject(node) && typeof node.$ref === 'string'; hops++) {
    const t = refTarget(file, node.$ref);
    file = t.file;
    keys = t.pointer.split('/').slice(1).map((k) => decodeURIComponent(k).replace(/~1/g, '/').replace(/~0/g, '~'));
    node = atPointer(docs.get(file), t.pointer);
  }
  return { file, keys, node };
}

/** The response object the spec gives for a status: exact code, then `4XX`-style ranges, then `default`. */
function responseKey(responses: Record<string, unknown>, status: number): string | undefined {
  const s = String(status);
  return [s, `${s[0]}XX`, `${s[0]}xx`, 'default'].find((k) => k in responses);
}

function describeError(e: ErrorObject): string {
  const where = e.instancePath === '' ? '(root)' : e.instancePath;
  const p = e.params as Record<string, unknown>;
  const detail = e.keyword === 'additionalProperties' ? ` '${String(p.additionalProperty)}'`
    : e.keyword === 'enum' ? ` ${JSON.stringify(p.allowedValues)}` : '';
  return `${where} ${e.message ?? e.keyword}${detail}`;
}

/** Loads the spec of `apiDir` (default: the Client-Server API) and returns a validator with its own caches. */
export function createSpecValidator(apiDir: string = CLIENT_SERVER_API_DIR): SpecValidator {
  const docs = loadSpecDocs(apiDir);
  const ops = listOperations(docs, apiDir);
  let ajv: Ajv | undefined;
  const compiled = new Map<string, ValidateFunction | null>();
  const errorFile = join(apiDir, 'definitions', 'errors', 'error.yaml');

  /** The validator for a response, or null when the spec gives no JSON schema for it. */
  function validatorFor(file: string, keys: string[], response: unknown): ValidateFunction | null {
    const cacheKey = `${file}${pointerFragment(keys)}`;
    if (compiled.has(cacheKey)) return compiled.get(cacheKey)!;
    const content = isObject(response) && isObject(response.content) ? response.content : undefined;
    const json = content?.['application/json'];
    let v: ValidateFunction | null = null;
    if (isObject(json) && json.schema !== undefined) {
      ajv ??= createSpecAjv(docs);
      v = ajv.compile({ $ref: fileId(file) + pointerFragment([...keys, 'content', 'application/json', 'schema']) });
    }
    compiled.set(cacheKey, v);
    return v;
  }

  function genericErrorValidator(): ValidateFunction {
    ajv ??= createSpecAjv(docs);
    return ajv.getSchema(fileId(errorFile)) ?? ajv.compile({ $ref: fileId(errorFile) });
  }

  return {
    operations: ops.map(({ method, path, operationId, auth }) => ({ method, path, operationId, auth })),
    match(method, concretePath) {
      const found = findOperation(ops, method, concretePath);
      return typeof found === 'string' ? found : { method: found.method, path: found.path, operationId: found.operationId, auth: found.auth };
    },
    validateResponse(method, concretePath, status, body) {
      const found = findOperation(ops, method, concretePath);
      if (typeof found === 'string') return { ok: false, errors: [found] };
      const operation = `${found.method} ${found.path}${found.operationId ? ` (${found.operationId})` : ''}`;
      const responses = isObject(found.op.responses) ? found.op.responses : {};
      const key = responseKey(responses, status);
      let validate: ValidateFunction | null;
      if (key === undefined) {
        // The spec lists an endpoint's specific errors only; the general ones (401 M_MISSING_TOKEN, 429, ...)
        // of §"API standards" apply everywhere and share the standard error shape. A success must be listed.
        if (status < 400) return { ok: false, errors: [`status ${status} is not a documented response of ${operation}`], operation };
        validate = genericErrorValidator();
      } else {
        const r = derefResponse(docs, found.file, [...found.keys, 'responses', key], responses[key]);
        validate = validatorFor(r.file, r.keys, r.node);
      }
      if (validate === null || validate(body)) return { ok: true, errors: [], operation };
      return { ok: false, errors: (validate.errors ?? []).map(describeError), operation };
    },
  };
}

/** Without the spec's definitions: no operations, and every response passes (see `specAvailable`). */
const NO_SPEC: SpecValidator = {
  operations: [],
  match: () => specMissing,
  validateResponse: () => ({ ok: true, errors: [] }),
};

/** The default validator over the Client-Server API, created on first use (loading takes ~0.1 s once parsed YAML is cached). */
const defaultValidator = ((): (() => SpecValidator) => {
  let v: SpecValidator | undefined;
  return () => (v ??= specAvailable ? createSpecValidator() : NO_SPEC);
})();

/** Every operation of the spec's Client-Server API, as full path templates (`/_matrix/client/v3/...`). */
export function specOperations(): SpecOperation[] {
  return [...defaultValidator().operations];
}

/**
 * The spec operation for a method and a concrete path (`/r0` read as `/v3`), or a message saying why none
 * matches. A route template works too: its `{param}` segments match only the spec's parameters.
 * @example matchSpecOperation('GET', '/_matrix/client/r0/account/whoami') // { method: 'GET', path: '/_matrix/client/v3/account/whoami', ... }
 */
export function matchSpecOperation(method: string, concretePath: string): SpecOperation | string {
  return defaultValidator().match(method, concretePath);
}

/**
 * Validates a response body against the spec operation matching a concrete path (query string ignored,
 * `/r0` read as `/v3`). Errors not listed for an operation are checked against the standard error shape.
 * @example validateResponse('GET', '/_matrix/client/v3/account/whoami', 200, { user_id: '@a:hs' })
 */
export function validateResponse(method: string, concretePath: string, status: number, body: unknown): ValidationResult {
  return defaultValidator().validateResponse(method, concretePath, status, body);
}

/**
 * Asserts that a response matches the spec; throws an AssertionError listing every mismatch, or naming
 * the request when no spec operation matches it.
 * @example assertSpecResponse('GET', '/_matrix/client/versions', await fetchJson(url))
 */
export function assertSpecResponse(method: string, path: string, res: { status: number; body: unknown }): void {
  const r = validateResponse(method, path, res.status, res.body);
  if (r.ok) return;
  const head = r.operation ? `${method} ${path} -> ${res.status} does not match the spec's ${r.operation}` : `${method} ${path}`;
  assert.fail(`${head}:\n  ${r.errors.join('\n  ')}\nbody: ${JSON.stringify(res.body)?.slice(0, 2000)}`);
}
