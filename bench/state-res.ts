/** Benchmark: state resolution of two forks of ~10,000 member state events each with a few hundred conflicts; prints the median of 5 runs. */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { resolveRoomVersion } from '../src/events/room-versions.js';
import { resolveState } from '../src/events/state-res.js';
import { stateMapKey } from '../src/events/state-map.js';
import type { IdentifiedPdu } from '../src/events/types.js';

const HS = 'bench.example';
const ALICE = `@alice:${HS}`;
const MOD = `@mod:${HS}`;
const user = (i: number) => `@u${i}:${HS}`;

/** Two forks of one room: `members` joined users, then `conflicts` users whose membership diverges. */
export function buildForks(version: string, members = 10_000, conflicts = 300) {
  const rv = resolveRoomVersion(version);
  const events = new Map<string, IdentifiedPdu>();
  const createId = `$create-${version}`;
  const roomId = rv.roomIdFromCreateEvent ? `!${createId.slice(1)}` : `!room:${HS}`;
  let ts = 1_700_000_000_000;
  let n = 0;
  const add = (type: string, stateKey: string, sender: string, content: Record<string, unknown>, auth: string[], id?: string) => {
    const refs = rv.roomIdFromCreateEvent ? auth.filter((a) => a !== createId) : auth;
    const ev: IdentifiedPdu = {
      event_id: id ?? `$e${n++}-${version}`, room_id: roomId, type, state_key: stateKey, sender, content,
      auth_events: rv.referencesAsPairs ? refs.map((a) => [a, {}] as [string, Record<string, string>]) : refs,
      prev_events: [], depth: n, origin_server_ts: ts++,
    };
    if (type === 'm.room.create' && rv.roomIdFromCreateEvent) delete ev.room_id;
    events.set(ev.event_id, ev);
    return ev.event_id;
  };
  const admins = (extra: Record<string, number>) => (rv.privilegedCreators ? { [MOD]: 50, ...extra } : { [ALICE]: 100, [MOD]: 50, ...extra });
  const base = new Map<string, string>();
  const put = (state: Map<string, string>, id: string) => { const ev = events.get(id)!; state.set(stateMapKey(ev.type, ev.state_key!), id); };

  const create = add('m.room.create', '', ALICE, rv.implicitRoomCreator ? {} : { creator: ALICE }, [], createId);
  const ma = add('m.room.member', ALICE, ALICE, { membership: 'join' }, [create]);
  const pl0 = add('m.room.power_levels', '', ALICE, { users: admins({}) }, [create, ma]);
  const jr = add('m.room.join_rules', '', ALICE, { join_rule: 'public' }, [create, pl0, ma]);
  const mm = add('m.room.member', MOD, MOD, { membership: 'join' }, [create, pl0, jr]);
  for (const id of [create, ma, pl0, jr, mm]) put(base, id);
  const memberOf: string[] = [];
  for (let i = 0; i < members; i++) {
    memberOf.push(add('m.room.member', user(i), user(i), { membership: 'join' }, [create, pl0, jr]));
    put(base, memberOf[i]!);
  }

  // Fork A: Alice changes the power levels, 1/2 of the conflicting users rename, 1/6 are kicked.
  const a = new Map(base);
  const plA = add('m.room.power_levels', '', ALICE, { users: admins({ [user(0)]: 10 }) }, [create, pl0, ma]);
  put(a, plA);
  for (let i = 0; i < conflicts / 2; i++) {
    put(a, add('m.room.member', user(i), user(i), { membership: 'join', displayname: `A${i}` }, [create, plA, jr, memberOf[i]!]));
  }
  for (let i = conflicts / 2; i < (2 * conflicts) / 3; i++) {
    put(a, add('m.room.member', user(i), ALICE, { membership: 'leave' }, [create, plA, ma, memberOf[i]!]));
  }
  put(a, add('m.room.topic', '', ALICE, { topic: 'A' }, [create, plA, ma]));

  // Fork B: other power levels, overlapping renames, and the moderator bans the last sixth.
  const b = new Map(base);
  const plB = add('m.room.power_levels', '', ALICE, { users: admins({ [user(1)]: 20 }) }, [create, pl0, ma]);
  put(b, plB);
  for (let i = conflicts / 3; i < (5 * conflicts) / 6; i++) {
    put(b, add('m.room.member', user(i), user(i), { membership: 'join', displayname: `B${i}` }, [create, plB, jr, memberOf[i]!]));
  }
  for (let i = (5 * conflicts) / 6; i < conflicts; i++) {
    put(b, add('m.room.member', user(i), MOD, { membership: 'ban' }, [create, plB, mm, memberOf[i]!]));
  }
  put(b, add('m.room.topic', '', MOD, { topic: 'B' }, [create, plB, mm]));
  return { stateSets: [a, b], getEvent: (id: string) => events.get(id) };
}

function median(xs: number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)]!;
}

/** Runs the benchmark for rooms v10 (state res v2), v12 (v2.1) and v1, and prints the medians. */
export function main(runs = 5): void {
  for (const version of ['10', '12', '1']) {
    const { stateSets, getEvent } = buildForks(version);
    const conflicted = [...stateSets[0]!].filter(([k, v]) => stateSets[1]!.get(k) !== v).length
      + [...stateSets[1]!.keys()].filter((k) => !stateSets[0]!.has(k)).length;
    resolveState(version, stateSets, { getEvent }); // warm-up
    const times: number[] = [];
    let size = 0;
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      size = resolveState(version, stateSets, { getEvent }).size;
      times.push(performance.now() - t0);
    }
    console.log(`state-res room v${version}: ${stateSets[0]!.size}+${stateSets[1]!.size} state events, ${conflicted} conflicted keys -> ${size} resolved; median of ${runs}: ${median(times).toFixed(1)} ms (min ${Math.min(...times).toFixed(1)}, max ${Math.max(...times).toFixed(1)})`);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
