/** The small subset of Home Assistant value templates the profile evaluates: `{{ value }}` and `{{ value_json.a.b }}` with simple filters. */
import { parseJson, parseScalar } from './payload.js';

/** Result of evaluating a template: `ok` false when the template is outside the supported subset or the path is missing. */
export type TemplateResult = { ok: true; value: unknown } | { ok: false; reason: string };

const EXPRESSION = /^\{\{\s*(value_json|value)((?:\.[A-Za-z_]\w*|\[\s*(?:'[^']*'|"[^"]*"|\d+)\s*\])*)\s*((?:\|\s*[a-z_]+(?:\([^)]*\))?\s*)*)\}\}$/;
const PATH_STEP = /\.([A-Za-z_]\w*)|\[\s*(?:'([^']*)'|"([^"]*)"|(\d+))\s*\]/g;
const FILTER = /\|\s*([a-z_]+)(?:\(([^)]*)\))?/g;

function walk(root: unknown, path: string): { found: boolean; value: unknown } {
  let cur = root;
  for (const m of path.matchAll(PATH_STEP)) {
    const key = m[1] ?? m[2] ?? m[3] ?? m[4]!;
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, key)) return { found: false, value: undefined };
    cur = (cur as Record<string, unknown>)[key];
  }
  return { found: true, value: cur };
}

function toNumber(v: unknown): number {
  return typeof v === 'number' ? v : typeof v === 'string' ? Number(v.trim() === '' ? NaN : v) : NaN;
}

function applyFilter(value: unknown, found: boolean, name: string, rawArg: string | undefined): TemplateResult {
  const arg = rawArg === undefined || rawArg.trim() === '' ? undefined : parseScalar(rawArg.trim().replace(/^['"]|['"]$/g, ''));
  switch (name) {
    case 'float':
    case 'int': {
      const n = toNumber(value);
      if (!Number.isFinite(n)) return arg === undefined ? { ok: false, reason: `${String(value)} is not a number` } : { ok: true, value: arg };
      return { ok: true, value: name === 'int' ? Math.trunc(n) : n };
    }
    case 'round': {
      const n = toNumber(value);
      const digits = typeof arg === 'number' ? arg : 0;
      return Number.isFinite(n) ? { ok: true, value: Number(n.toFixed(digits)) } : { ok: false, reason: `${String(value)} is not a number` };
    }
    case 'default':
      return { ok: true, value: found && value !== undefined ? value : arg };
    case 'lower':
    case 'upper':
      return { ok: true, value: name === 'lower' ? String(value).toLowerCase() : String(value).toUpperCase() };
    case 'string':
      return { ok: true, value: typeof value === 'string' ? value : JSON.stringify(value) };
    case 'is_defined':
      return found ? { ok: true, value } : { ok: false, reason: 'value is not defined' };
    default:
      return { ok: false, reason: `template filter ${name} is not supported` };
  }
}

/**
 * Evaluates a value template against a payload. Without a template the payload text is the value.
 * @example renderValueTemplate('{{ value_json.temperature | round(1) }}', '{"temperature":21.56}') // { ok: true, value: 21.6 }
 * @example renderValueTemplate('{{ value }}', 'ON') // { ok: true, value: 'ON' }
 */
export function renderValueTemplate(template: string | undefined, text: string): TemplateResult {
  if (template === undefined) return { ok: true, value: text };
  const m = EXPRESSION.exec(template.trim());
  if (!m) return { ok: false, reason: `template ${template} is not supported` };
  let found = true;
  let value: unknown = text;
  if (m[1] === 'value_json') {
    const json = parseJson(text);
    if (!json.ok) return { ok: false, reason: 'payload is not JSON' };
    ({ found, value } = walk(json.value, m[2] ?? ''));
  } else if (m[2]) {
    return { ok: false, reason: 'paths on value are not supported' };
  }
  for (const f of (m[3] ?? '').matchAll(FILTER)) {
    const r = applyFilter(value, found, f[1]!, f[2]);
    if (!r.ok) return r;
    value = r.value;
    found = true;
  }
  return found ? { ok: true, value } : { ok: false, reason: `${m[2]} is not in the payload` };
}

/**
 * Renders a command template of the form `{{ value }}` (optionally with text around it); null when unsupported.
 * @example renderCommandTemplate('{"brightness": {{ value }}}', '128') // '{"brightness": 128}'
 */
export function renderCommandTemplate(template: string | undefined, value: string): string | null {
  if (template === undefined) return value;
  const parts = template.split(/\{\{\s*value\s*\}\}/);
  if (parts.some((p) => p.includes('{{') || p.includes('{%'))) return null;
  return parts.join(value);
}
