/** State res v2 orderings: Kahn's lexicographical topological sort, the reverse topological power ordering and the mainline ordering. */
import type { ResolutionContext } from './state-res-types.js';
import type { IdentifiedPdu } from './types.js';

/**
 * MSC4289 (room v12): creators outrank every power level canonical JSON can hold (Synapse: 2^53).
 * @example CREATOR_POWER_LEVEL > Number.MAX_SAFE_INTEGER // true
 */
export const CREATOR_POWER_LEVEL = 2 ** 53;

/**
 * Kahn's algorithm over a DAG given as node -> the nodes it points at (its auth events), emitting a
 * node once everything it points at has been emitted, and at each step the smallest ready node by
 * `compare`. Edges to nodes missing from `graph` are ignored; nodes on a cycle are never emitted.
 * @example lexicographicalTopologicalSort(new Map([['b', new Set(['a'])], ['a', new Set()]]), (x, y) => (x < y ? -1 : 1)) // ['a', 'b']
 */
export function lexicographicalTopologicalSort(
  graph: ReadonlyMap<string, ReadonlySet<string>>,
  compare: (a: string, b: string) => number,
): string[] {
  const outdegree = new Map<string, number>();
  const reverse = new Map<string, string[]>();
  const ready = new MinHeap<string>(compare);
  for (const [node, edges] of graph) {
    let n = 0;
    for (const e of edges) {
      if (!graph.has(e) || e === node) continue;
      n++;
      let back = reverse.get(e);
      if (back === undefined) reverse.set(e, (back = []));
      back.push(node);
    }
    outdegree.set(node, n);
    if (n === 0) ready.push(node);
  }
  const out: string[] = [];
  while (ready.size > 0) {
    const node = ready.pop()!;
    out.push(node);
    for (const parent of reverse.get(node) ?? []) {
      const left = outdegree.get(parent)! - 1;
      outdegree.set(parent, left);
      if (left === 0) ready.push(parent);
    }
  }
  return out;
}

/** A binary min-heap under a comparator. */
class MinHeap<T> {
  private readonly items: T[] = [];
  constructor(private readonly compare: (a: T, b: T) => number) {}
  get size(): number { return this.items.length; }
  push(item: T): void {
    const a = this.items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.compare(a[i]!, a[p]!) >= 0) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }
  pop(): T | undefined {
    const a = this.items;
    if (a.length === 0) return undefined;
    const top = a[0];
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < a.length && this.compare(a[l]!, a[m]!) < 0) m = l;
        if (r < a.length && this.compare(a[r]!, a[m]!) < 0) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}

/**
 * Compares event ids by code point, like Synapse's Python `str` comparison.
 * @example ['$b', '$a'].sort(compareIds) // ['$a', '$b']
 */
export function compareIds(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!, y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

function timestamp(ev: IdentifiedPdu): number {
  const ts = ev.origin_server_ts;
  return typeof ts === 'number' && Number.isFinite(ts) ? ts : 0;
}

/** A power level value as Synapse's `int()` reads it (v1–v9 allow strings); unreadable values count as 0. */
function toLevel(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : 0;
  if (typeof value === 'string') return /^\s*[+-]?\d+\s*$/.test(value) ? Number.parseInt(value, 10) : 0;
  return value === undefined || value === null ? undefined : 0;
}

/**
 * The power level of an event's sender "when looking at their respective auth_events" (v2
 * reverse topological power ordering, comparison 1). Without a power levels auth event the
 * room creator has 100 and everyone else 0, as in Synapse; v12 creators have `CREATOR_POWER_LEVEL`.
 * @example senderPowerLevel(topicEvent, ctx) // 50: `users[sender]` of the power levels it cites
 */
export function senderPowerLevel(ev: IdentifiedPdu, ctx: ResolutionContext): number {
  let pl: IdentifiedPdu | undefined;
  let create: IdentifiedPdu | undefined;
  for (const aid of ctx.authIds(ev.event_id)) {
    const aev = ctx.getEvent(aid);
    if (aev?.state_key !== '') continue;
    if (aev.type === 'm.room.power_levels') pl = aev;
    else if (aev.type === 'm.room.create') create ??= aev;
  }
  if (create !== undefined && ctx.rv.privilegedCreators) {
    const extra = create.content?.additional_creators;
    if (create.sender === ev.sender || (Array.isArray(extra) && extra.includes(ev.sender))) return CREATOR_POWER_LEVEL;
  }
  if (pl === undefined) {
    const creator = create === undefined ? undefined : ctx.rv.implicitRoomCreator ? create.sender : create.content?.creator;
    return creator !== undefined && creator === ev.sender ? 100 : 0;
  }
  const users = pl.content?.users;
  const own = users !== null && typeof users === 'object' && !Array.isArray(users) ? toLevel(users[ev.sender]) : undefined;
  return own ?? toLevel(pl.content?.users_default) ?? 0;
}

/**
 * Step 1 of v2: sorts `powerEvents` and the events of their auth chains that lie in the full
 * conflicted set (reached through full-conflicted-set events only, as Synapse walks it) by the
 * reverse topological power ordering: auth events first; among ready events, higher sender power
 * level, then smaller origin_server_ts, then smaller event_id.
 * @example reverseTopologicalPowerSort(['$ban', '$pl2'], fullConflictedSet, ctx) // ['$pl2', '$ban'] when $ban cites $pl2
 */
export function reverseTopologicalPowerSort(
  powerEvents: Iterable<string>,
  fullConflicted: ReadonlySet<string>,
  ctx: ResolutionContext,
): string[] {
  const graph = new Map<string, Set<string>>();
  for (const start of powerEvents) {
    const stack = [start];
    while (stack.length > 0) {
      const id = stack.pop()!;
      let edges = graph.get(id);
      if (edges === undefined) graph.set(id, (edges = new Set()));
      for (const aid of ctx.authIds(id)) {
        if (!fullConflicted.has(aid)) continue;
        if (!graph.has(aid)) stack.push(aid);
        edges.add(aid);
      }
    }
  }
  const level = new Map<string, number>();
  const ts = new Map<string, number>();
  for (const id of graph.keys()) {
    const ev = ctx.getEvent(id)!;
    level.set(id, senderPowerLevel(ev, ctx));
    ts.set(id, timestamp(ev));
  }
  return lexicographicalTopologicalSort(graph, (a, b) =>
    // 1. greater sender power level first; 2. smaller origin_server_ts; 3. smaller event_id.
    (level.get(b)! - level.get(a)!) || (ts.get(a)! - ts.get(b)!) || compareIds(a, b));
}

/** The `m.room.power_levels` event among an event's auth events (the first one, as Synapse takes). */
function powerLevelsParent(id: string, ctx: ResolutionContext): string | undefined {
  for (const aid of ctx.authIds(id)) {
    const aev = ctx.getEvent(aid);
    if (aev?.type === 'm.room.power_levels' && aev.state_key === '') return aid;
  }
  return undefined;
}

/**
 * Step 3 of v2: sorts events by the mainline ordering based on the power levels event
 * `resolvedPowerLevels`: events whose power levels chain meets the mainline further back come
 * first, then smaller origin_server_ts, then smaller event_id.
 * @example mainlineSort(['$topicOnPl2', '$topicOnPl1'], '$pl2', ctx) // ['$topicOnPl1', '$topicOnPl2']
 */
export function mainlineSort(eventIds: readonly string[], resolvedPowerLevels: string | undefined, ctx: ResolutionContext): string[] {
  if (eventIds.length === 0) return [];
  // The mainline [P0, P1, …, Pn]. We store n + 1 − i for Pi (so the root is 1) and 0 for "no
  // mainline event found" (position ∞): sorting this number ascending is the spec's "position
  // greater first".
  const mainline: string[] = [];
  const guard = new Set<string>();
  for (let p = resolvedPowerLevels; p !== undefined && !guard.has(p) && ctx.getEvent(p); p = powerLevelsParent(p, ctx)) {
    guard.add(p);
    mainline.push(p);
  }
  const depth = new Map<string, number>();
  mainline.forEach((id, i) => depth.set(id, mainline.length - i));
  const depthOfEvent = (id: string): number => {
    // e1, e2, …: the power levels chain of e0 = id, stopping at the first event already placed.
    const walked: string[] = [];
    const seen = new Set<string>();
    let found = 0;
    for (let e = powerLevelsParent(id, ctx); e !== undefined && !seen.has(e); e = powerLevelsParent(e, ctx)) {
      const known = depth.get(e);
      if (known !== undefined) { found = known; break; }
      seen.add(e);
      walked.push(e);
    }
    for (const w of walked) depth.set(w, found);
    return found;
  };
  const keyed = eventIds.map((id) => {
    const ev = ctx.getEvent(id)!;
    return { id, depth: depthOfEvent(id), ts: timestamp(ev) };
  });
  // 1. greater mainline position (smaller depth) first; 2. smaller origin_server_ts; 3. smaller event_id.
  keyed.sort((a, b) => (a.depth - b.depth) || (a.ts - b.ts) || compareIds(a.id, b.id));
  return keyed.map((k) => k.id);
}
