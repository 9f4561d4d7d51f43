/** Inbound MQTT handling as named steps [authorize, decode, toEvent, send], with policy injected as hooks. */
import type { DecodedItem, DeviceRef, Discovery, Profile } from '../profiles/types.js';
import { READING_EVENT_TYPE, readingEventContent } from '../profiles/reading-event.js';
import { topicMatches } from '../profiles/topic.js';
import type { Logger } from '../src/log.js';
import { DropReason, SYS_PREFIX } from './codes.js';
import type { Dedupe, InboundMessage, TxnPlan } from './dedupe.js';
import type { ProfileLookup } from './device-admin.js';
import type { PolicyHooks } from './policy.js';
import type { DeviceRecord, Registry } from './registry.js';
import { executeActions, rejectedDetail, sendTarget, sendToRoom, type SendDeps } from './pipeline-send.js';
import { EventRejectedError } from './port.js';
import { openEnvelope } from './signed-envelope.js';
import type { EnvelopeCounters } from './envelope-counters.js';

/** The steps, in order; each is a function below. */
export const STEPS = ['authorize', 'decode', 'toEvent', 'send'] as const;

/** What became of a message: `refused` means no acknowledgement (the device retries or is disconnected). */
export type Outcome =
  | { kind: 'done'; sent: number }
  | { kind: 'dropped'; reason: DropReason; detail?: string }
  | { kind: 'refused'; reason: DropReason; detail?: string };

/** The result of `authorize`: the enrolled device and how its profile sees it. */
export interface Authorized { record: DeviceRecord; profile: Profile; ref: DeviceRef }

/** One thing to do for a decoded item, executed in order by `send`. */
export type Action =
  | { do: 'send'; device: string; type: string; content: Record<string, unknown>; txn?: TxnPlan; reading: boolean }
  | { do: 'state'; device: string; type: string; stateKey: string; content: Record<string, unknown> }
  | { do: 'status'; device: string; online: boolean; detail?: string }
  | { do: 'result'; device: string; item: Extract<DecodedItem, { kind: 'command-result' }> }
  | { do: 'discover'; discovery: Discovery }
  | { do: 'ignore'; reason: string };

export interface PipelineDeps extends SendDeps {
  registry: Registry;
  profiles: ProfileLookup;
  policy: PolicyHooks;
  dedupe: Dedupe;
  /** Highest accepted envelope counter per signed device, persisted (replay protection across restarts). */
  counters: EnvelopeCounters;
  log: Logger;
}

/** How a registry record appears to its profile. */
export function deviceRef(d: DeviceRecord): DeviceRef {
  return { name: d.name, topic: d.topic, ...(d.displayName ? { displayName: d.displayName } : {}), ...(d.known ? { known: d.known } : {}) };
}

/** Whether the device may publish on `topic`: its profile's topics, or state topics it announced itself. */
export function mayPublish(profile: Profile, ref: DeviceRef, topic: string): boolean {
  if (topic.startsWith(SYS_PREFIX)) return false;
  return profile.ownsTopic(ref, topic) || (ref.known ?? []).some((k) => (k.stateTopics ?? []).some((f) => topicMatches(f, topic)));
}

/**
 * Whether the device may subscribe to `filter`: only within its own command topics (profile and announced ones).
 * A narrower filter inside an allowed one (`cmnd/plug/+` inside `cmnd/plug/#`) is allowed; `#` or `$SYS/#` is not.
 */
export function maySubscribe(profile: Profile, ref: DeviceRef, filter: string): boolean {
  if (filter.startsWith(SYS_PREFIX)) return false;
  const allowed = [...profile.commandSubscriptions(ref), ...(ref.known ?? []).flatMap((k) => k.commandTopics ?? [])];
  return allowed.some((f) => filterCovers(f, filter));
}

/** Whether every topic `inner` matches is also matched by `outer` (both MQTT topic filters). */
export function filterCovers(outer: string, inner: string): boolean {
  const o = outer.split('/');
  const n = inner.split('/');
  for (let i = 0; i < o.length; i++) {
    if (o[i] === '#') return true;
    if (i >= n.length) return false;
    if (n[i] === '#') return false;
    if (o[i] !== '+' && o[i] !== n[i]) return false;
  }
  return o.length === n.length;
}

export function createPipeline(deps: PipelineDeps) {
  const { registry, profiles, policy, dedupe, counters, log } = deps;

  /**
   * A device enrolled with a key must wrap every payload but its status (Last Will) in a signed envelope:
   * returns the message with the envelope's payload and its counter, or the drop.
   */
  function unwrap(a: Authorized, msg: InboundMessage): { msg: InboundMessage; signed?: { publicKey: string; counter: number } } | Outcome {
    const publicKeyB64 = a.record.publicKey;
    if (!publicKeyB64 || msg.topic === `${a.record.topic}/status`) return { msg };
    const r = openEnvelope(msg.payload, { device: a.record.name, publicKeyB64, lastCounter: counters.last(a.record.name, publicKeyB64) });
    if (!r.ok) return { kind: 'dropped', reason: DropReason.MALFORMED, detail: `signed envelope: ${r.reason}` };
    return { msg: { ...msg, payload: Buffer.from(r.payload) }, signed: { publicKey: publicKeyB64, counter: r.counter } };
  }

  /** Step 1: the device is enrolled and active, owns the topic, and is within its size and rate limits. */
  function authorize(msg: InboundMessage): Authorized | Outcome {
    const record = registry.get(msg.device);
    if (!record || record.status !== 'active' || record.parent) return { kind: 'refused', reason: DropReason.UNKNOWN_DEVICE };
    const profile = profiles(record.profile);
    if (!profile) return { kind: 'refused', reason: DropReason.UNKNOWN_DEVICE, detail: `unknown profile ${record.profile}` };
    const ref = deviceRef(record);
    if (msg.topic.startsWith(SYS_PREFIX)) return { kind: 'refused', reason: DropReason.SYS_TOPIC };
    if (!mayPublish(profile, ref, msg.topic)) return { kind: 'refused', reason: DropReason.FOREIGN_TOPIC };
    if (!policy.sizeOk(msg.payload.length)) return { kind: 'dropped', reason: DropReason.OVERSIZE, detail: `${msg.payload.length} bytes` };
    // QoS 0 has no acknowledgement to withhold; for QoS 1 refusing keeps the message with the device.
    if (!policy.admit(record.name)) return { kind: msg.qos === 0 ? 'dropped' : 'refused', reason: DropReason.RATE_LIMITED };
    return { record, profile, ref };
  }

  /** Step 2: the profile turns the payload into items; it never throws, but a bug in it must not crash the hub. */
  function decode(a: Authorized, msg: InboundMessage): DecodedItem[] {
    try {
      return a.profile.decode(a.ref, msg.topic, msg.payload, msg.retain);
    } catch (err) {
      log.error({ err, device: a.record.name, topic: msg.topic }, 'profile decode threw');
      return [{ kind: 'ignore', reason: 'malformed: the profile could not decode it' }];
    }
  }

  /** Step 3: items become room actions; readings and events replayed from a retained message are skipped. */
  function toEvent(a: Authorized, msg: InboundMessage, items: DecodedItem[]): Action[] {
    const actions: Action[] = [];
    items.forEach((item, i) => {
      switch (item.kind) {
        case 'reading': {
          if (msg.replay) break;
          const target = item.device === a.record.name ? a.record : registry.childOf(a.record.name, item.device);
          const label = target?.displayName ?? target?.name ?? item.device;
          const content = readingEventContent(label, item.reading, item.ts) as unknown as Record<string, unknown>;
          actions.push({ do: 'send', device: item.device, type: READING_EVENT_TYPE, content, txn: dedupe.plan(msg, i, item.messageId), reading: true });
          break;
        }
        case 'event':
          if (msg.replay) break;
          actions.push({ do: 'send', device: item.device, type: item.type, content: item.content, txn: dedupe.plan(msg, i, item.messageId), reading: false });
          break;
        case 'state': actions.push({ do: 'state', device: item.device, type: item.type, stateKey: item.stateKey, content: item.content }); break;
        case 'status': actions.push({ do: 'status', device: item.device, online: item.online, ...(item.detail !== undefined ? { detail: item.detail } : {}) }); break;
        case 'command-result': actions.push({ do: 'result', device: item.device, item }); break;
        case 'discovered': { const { kind: _k, ...discovery } = item; actions.push({ do: 'discover', discovery }); break; }
        case 'ignore': actions.push({ do: 'ignore', reason: item.reason }); break;
      }
    });
    return actions;
  }

  /** Step 4: the actions go through the port; resolves once every event is committed. */
  async function send(a: Authorized, msg: InboundMessage, actions: Action[]): Promise<Outcome> {
    const { sent, malformed } = await executeActions(deps, a, actions, msg);
    if (malformed && sent === 0) return { kind: 'dropped', reason: DropReason.MALFORMED, detail: malformed };
    return { kind: 'done', sent };
  }

  function dropped(msg: InboundMessage, out: Exclude<Outcome, { kind: 'done' }>): void {
    log.warn({ device: msg.device, topic: msg.topic, reason: out.reason, ...(out.detail ? { detail: out.detail } : {}) }, out.kind === 'refused' ? 'refused MQTT publish' : 'dropped MQTT message');
    const report = policy.dropped(msg.device, out.reason);
    const record = registry.get(msg.device);
    if (report && record?.status === 'active') void deps.status.reportDrops(record, report.count, report.reasons).catch(() => undefined);
  }

  /** All actions of one message, in order, then the signed-envelope counter (the general path). */
  async function handleActions(a: Authorized, msg: InboundMessage, u: { msg: InboundMessage; signed?: { publicKey: string; counter: number } }, actions: Action[]): Promise<Outcome> {
    const out = await send(a, u.msg, actions);
    if (out.kind !== 'done') dropped(msg, out);
    else deps.status.seen(a.record);
    // The counter is durable before the caller acknowledges (PUBACK / 2.04), so a replay is refused after a restart too.
    if (u.signed && out.kind !== 'refused') await counters.accept(a.record.name, u.signed.publicKey, u.signed.counter);
    return out;
  }

  /**
   * The common case, a reading or event that becomes one room event: one promise from here to the commit. A chain of
   * suspended async steps per message would stay alive while the message waits for the writer, and under a burst
   * thousands of them are promoted and marked by the GC (measured: ~4.8 kB per waiting message, mostly async frames).
   */
  function sendOne(a: Authorized, msg: InboundMessage, act: Extract<Action, { do: 'send' }>): Promise<Outcome> {
    const t = sendTarget(registry, log, a, act.device);
    if (!t) {
      deps.status.seen(a.record);
      return Promise.resolve({ kind: 'done', sent: 0 });
    }
    return sendToRoom(deps.port, t, act).then(
      (): Outcome => {
        if (t.name !== a.record.name) deps.status.seen(t);
        deps.status.seen(a.record);
        return { kind: 'done', sent: 1 };
      },
      (err: unknown): Outcome => {
        if (!(err instanceof EventRejectedError)) throw err;
        const out: Outcome = { kind: 'dropped', reason: DropReason.MALFORMED, detail: rejectedDetail(err) };
        dropped(msg, out);
        return out;
      },
    );
  }

  return {
    authorize, decode, toEvent, send,
    /** Runs the steps. Never rejects on bad input; rejects only when the room write failed (nothing acknowledged). */
    handle(msg: InboundMessage): Promise<Outcome> {
      try {
        const a = authorize(msg);
        if (!('record' in a)) { dropped(msg, a as Exclude<Outcome, { kind: 'done' }>); return Promise.resolve(a); }
        const u = unwrap(a, msg);
        if ('kind' in u) { dropped(msg, u as Exclude<Outcome, { kind: 'done' }>); return Promise.resolve(u); }
        const actions = toEvent(a, u.msg, decode(a, u.msg));
        const one = actions.length === 1 && !u.signed ? actions[0]! : undefined;
        // A DUP retry in a new dedupe window first looks up the previous window's transaction: the general path.
        if (one?.do === 'send' && !one.txn?.alsoCheck) return sendOne(a, u.msg, one);
        return handleActions(a, msg, u, actions);
      } catch (err) {
        return Promise.reject(err);
      }
    },
    /** Is `name` an enrolled, active device that may connect? (re-reads the registry once on a miss) */
    async connectable(name: string): Promise<DeviceRecord | undefined> {
      let d = registry.get(name);
      if (!d && (await registry.reloadOnMiss())) d = registry.get(name);
      return d && d.status === 'active' && !d.parent && d.tokenHash !== '' ? d : undefined;
    },
  };
}

export type Pipeline = ReturnType<typeof createPipeline>;
