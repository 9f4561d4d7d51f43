/** Test support for state resolution: event DAGs with explicit event ids, and the state at each event (Synapse test style). */
import { authTypesForEvent } from '../auth-rules.js';
import { resolveRoomVersion, type RoomVersion } from '../room-versions.js';
import { resolveState } from '../state-res.js';
import { compareIds, lexicographicalTopologicalSort } from '../state-res-ordering.js';
import { stateMapKey } from '../state-map.js';
import type { IdentifiedPdu } from '../types.js';

export const ALICE = '@alice:example.com';
export const BOB = '@bob:example.com';
export const CHARLIE = '@charlie:example.com';
export const EVELYN = '@evelyn:example.com';
export const ZARA = '@zara:example.com';

/** A node of a test DAG: the event without its graph fields. `stateKey` undefined means a message. */
export interface FakeEvent {
  id: string;
  sender: string;
  type: string;
  stateKey?: string;
  content?: Record<string, unknown>;
}

/** The event id of a node: `$NODE:example.com`. */
export function eventIdOf(node: string): string {
  return `$${node}:example.com`;
}

/** The room id of the test room; in v12 it is derived from the create event's id. */
export function roomIdFor(rv: RoomVersion): string {
  return rv.roomIdFromCreateEvent ? `!${eventIdOf('CREATE').slice(1)}` : '!room:example.com';
}

/** Fields of a hand-wired event (auth events given explicitly, as node names). */
export interface WiredEvent extends FakeEvent {
  auth: string[];
  prev?: string[];
  ts: number;
  depth?: number;
}

/**
 * Builds one PDU with explicit auth and prev events (node names). In rooms before v12 the create
 * event is added to the auth events of every other event; in v12 it is implicit.
 */
export function wiredEvent(roomVersion: RoomVersion | string, w: WiredEvent): IdentifiedPdu {
  const rv = resolveRoomVersion(roomVersion);
  const isCreate = w.type === 'm.room.create';
  const auth = isCreate || rv.roomIdFromCreateEvent || w.auth.includes('CREATE') ? w.auth : ['CREATE', ...w.auth];
  const ref = (node: string) => (rv.referencesAsPairs ? [eventIdOf(node), {}] as [string, Record<string, string>] : eventIdOf(node));
  const pdu: IdentifiedPdu = {
    event_id: eventIdOf(w.id),
    sender: w.sender,
    type: w.type,
    content: w.content ?? {},
    auth_events: auth.map(ref),
    prev_events: (w.prev ?? []).map(ref),
    depth: w.depth ?? 1,
    origin_server_ts: w.ts,
  };
  if (!(isCreate && rv.roomIdFromCreateEvent)) pdu.room_id = roomIdFor(rv);
  if (w.stateKey !== undefined) pdu.state_key = w.stateKey;
  return pdu;
}

/** The events every DAG starts with: a public room created by Alice, joined by Bob, Charlie and Zara. */
export function initialEvents(rv: RoomVersion, options: DagOptions = {}): FakeEvent[] {
  const join = { membership: 'join' };
  const create: Record<string, unknown> = rv.implicitRoomCreator ? { room_version: rv.id } : { creator: ALICE, room_version: rv.id };
  if (options.additionalCreators !== undefined && options.additionalCreators.length > 0) create.additional_creators = options.additionalCreators;
  // v12: creators may not appear in `users`; Alice's power comes from being the creator.
  const power = rv.privilegedCreators ? { users: {} } : { users: { [ALICE]: 100 } };
  return [
    { id: 'CREATE', sender: ALICE, type: 'm.room.create', stateKey: '', content: create },
    { id: 'IMA', sender: ALICE, type: 'm.room.member', stateKey: ALICE, content: join },
    { id: 'IPOWER', sender: ALICE, type: 'm.room.power_levels', stateKey: '', content: power },
    { id: 'IJR', sender: ALICE, type: 'm.room.join_rules', stateKey: '', content: { join_rule: 'public' } },
    { id: 'IMB', sender: BOB, type: 'm.room.member', stateKey: BOB, content: join },
    { id: 'IMC', sender: CHARLIE, type: 'm.room.member', stateKey: CHARLIE, content: join },
    { id: 'IMZ', sender: ZARA, type: 'm.room.member', stateKey: ZARA, content: join },
    { id: 'START', sender: ZARA, type: 'm.room.message' },
    { id: 'END', sender: ZARA, type: 'm.room.message' },
  ];
}

/** `prev_events` chains of the initial events (each list reads newest first). */
export const INITIAL_EDGES = [['START', 'IMZ', 'IMC', 'IMB', 'IJR', 'IPOWER', 'IMA', 'CREATE']];

/** Options of `buildDag`. */
export interface DagOptions {
  /** v12: `additional_creators` of the create event. */
  additionalCreators?: string[];
}

/** A built DAG: its events by id and the state after each node. */
export interface Dag {
  rv: RoomVersion;
  events: Map<string, IdentifiedPdu>;
  stateAfter: Map<string, Map<string, string>>;
  getEvent(id: string): IdentifiedPdu | undefined;
}

/**
 * Builds a DAG from nodes and `prev_events` chains (`['END', 'B', 'A']` means END→B→A). Nodes are
 * processed in topological order; the state before a node is the resolution of its prevs' states,
 * and its auth events are the auth events selection taken from that state. Nothing is auth-checked.
 */
export function buildDag(
  roomVersion: RoomVersion | string,
  nodes: readonly FakeEvent[],
  edges: readonly string[][],
  options: DagOptions = {},
): Dag {
  const rv = resolveRoomVersion(roomVersion);
  const all = [...initialEvents(rv, options), ...nodes];
  const byNode = new Map(all.map((n) => [n.id, n]));
  const prevs = new Map<string, Set<string>>(all.map((n) => [n.id, new Set<string>()]));
  for (const chain of [...INITIAL_EDGES, ...edges]) {
    for (let i = 0; i + 1 < chain.length; i++) prevs.get(chain[i]!)!.add(chain[i + 1]!);
  }
  const events = new Map<string, IdentifiedPdu>();
  const stateAfter = new Map<string, Map<string, string>>();
  const depthOf = new Map<string, number>();
  const getEvent = (id: string) => events.get(id);
  let ts = 0;
  for (const node of lexicographicalTopologicalSort(prevs, compareIds)) {
    const fake = byNode.get(node)!;
    const prevNodes = [...prevs.get(node)!].sort(compareIds);
    const before = prevNodes.length === 0 ? new Map<string, string>()
      : prevNodes.length === 1 ? new Map(stateAfter.get(prevNodes[0]!)!)
        : resolveState(rv, prevNodes.map((p) => stateAfter.get(p)!), { getEvent });
    const probe = wiredEvent(rv, { ...fake, auth: [], ts: 0 });
    const auth: string[] = [];
    for (const { type, stateKey } of authTypesForEvent(probe, rv)) {
      const id = before.get(stateMapKey(type, stateKey));
      if (id !== undefined && !auth.includes(nodeOf(id))) auth.push(nodeOf(id));
    }
    const depth = 1 + Math.max(0, ...prevNodes.map((p) => depthOf.get(p)!));
    depthOf.set(node, depth);
    const pdu = wiredEvent(rv, { ...fake, auth, prev: prevNodes, ts: ts++, depth });
    events.set(pdu.event_id, pdu);
    const after = new Map(before);
    if (fake.stateKey !== undefined) after.set(stateMapKey(fake.type, fake.stateKey), pdu.event_id);
    stateAfter.set(node, after);
  }
  return { rv, events, stateAfter, getEvent };
}

/** The node name of a `$NODE:example.com` event id. */
export function nodeOf(eventId: string): string {
  return eventId.slice(1, eventId.indexOf(':'));
}

/**
 * The state at END as node names, keeping the keys of `expected` and every key that changed since
 * START (Synapse's `do_check`), for comparison with an expected list of nodes.
 */
export function endStateDelta(dag: Dag, expectedNodes: readonly string[]): Map<string, string> {
  const start = dag.stateAfter.get('START')!;
  const end = dag.stateAfter.get('END')!;
  const keys = new Set(expectedNodes.map((n) => {
    const ev = dag.events.get(eventIdOf(n))!;
    return stateMapKey(ev.type, ev.state_key!);
  }));
  const out = new Map<string, string>();
  for (const [key, id] of end) if (keys.has(key) || start.get(key) !== id) out.set(key, nodeOf(id));
  return out;
}

/** The expected `endStateDelta` for a list of nodes. */
export function expectedDelta(dag: Dag, nodes: readonly string[]): Map<string, string> {
  return new Map(nodes.map((n) => {
    const ev = dag.events.get(eventIdOf(n))!;
    return [stateMapKey(ev.type, ev.state_key!), n];
  }));
}
