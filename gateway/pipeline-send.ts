/** The pipeline's send step: executes room actions through the port, in order, resolving once they are committed. */
import type { DecodedItem, Discovery } from '../profiles/types.js';
import type { Logger } from '../src/log.js';
import type { InboundMessage } from './dedupe.js';
import type { DeviceAdmin } from './device-admin.js';
import { EventRejectedError, type MatrixPort } from './port.js';
import { canonicalSafe } from './canonical-safe.js';
import type { DeviceRecord, Registry } from './registry.js';
import type { StatusTracker } from './status.js';
import type { Action, Authorized } from './pipeline.js';

export interface SendDeps {
  port: MatrixPort;
  registry: Registry;
  status: StatusTracker;
  admin: DeviceAdmin;
  /** Discovered sub-devices get rooms at once (true) or wait for `hearth device accept` (false). */
  autoAccept: boolean;
  /** A device acknowledged or answered a command. */
  onResult(device: DeviceRecord, item: Extract<DecodedItem, { kind: 'command-result' }>): void;
  log: Logger;
}

/** Ignore reasons that mean the payload itself was bad (counted as drops), not a topic the profile skips on purpose. */
const MALFORMED = /not (a |an )?(json|utf-8|cbor|object|map|valid)|malformed|invalid|neither|without|must be|wrong type/i;

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Keeps the latest discovery per key on the connection's record; drops withdrawn ones. */
function mergeKnown(known: readonly Discovery[], d: Discovery): Discovery[] {
  const rest = known.filter((k) => k.key !== d.key);
  return d.removed ? rest : [...rest, d];
}

/**
 * The record an item is about, with a room to send to: the connection itself or one of its active sub-devices
 * (undefined, logged, while a sub-device has no room yet).
 */
export function sendTarget(registry: Registry, log: Logger, a: Authorized, device: string): DeviceRecord | undefined {
  const r = device === a.record.name ? registry.get(device) : registry.childOf(a.record.name, device);
  if (r && r.status === 'active' && r.roomId) return r;
  log.debug({ device, via: a.record.name }, 'no active room for this sub-device yet');
  return undefined;
}

/** Sends a `send` action's event into the target's room (content made canonical-safe, the action's txn id). */
export function sendToRoom(port: MatrixPort, t: DeviceRecord, act: Extract<Action, { do: 'send' }>): Promise<string> {
  return port.sendEvent(t.userId, t.roomId, act.type, canonicalSafe(act.content), act.txn ? { txnId: act.txn.txnId } : {});
}

/** The drop detail for an event the homeserver refused. */
export const rejectedDetail = (err: EventRejectedError) => `rejected by the homeserver: ${err.message}`;

export async function executeActions(deps: SendDeps, a: Authorized, actions: Action[], msg: InboundMessage): Promise<{ sent: number; malformed?: string }> {
  const { port, registry, log } = deps;
  let sent = 0;
  let malformed: string | undefined;
  const target = (device: string) => sendTarget(registry, log, a, device);

  await discoverAll(deps, a, actions.flatMap((x) => (x.do === 'discover' ? [x.discovery] : [])));
  for (const act of actions) {
    try {
      sent += await executeOne(act);
    } catch (err) {
      if (!(err instanceof EventRejectedError)) throw err;
      malformed ??= rejectedDetail(err);
    }
  }
  return { sent, ...(malformed !== undefined ? { malformed } : {}) };

  /** Resolves to the number of room events written. */
  async function executeOne(act: Action): Promise<number> {
    switch (act.do) {
      case 'send': {
        const t = target(act.device);
        if (!t) return 0;
        if (act.txn?.alsoCheck && (await port.findTxn(t.userId, act.txn.alsoCheck))) return 0;
        await sendToRoom(port, t, act);
        if (t.name !== a.record.name) deps.status.seen(t);
        return 1;
      }
      case 'state': {
        const t = target(act.device);
        const content = canonicalSafe(act.content);
        if (!t || sameJson(await port.getState(t.roomId, act.type, act.stateKey), content)) return 0;
        await port.setState(t.userId, t.roomId, act.type, act.stateKey, content);
        return 1;
      }
      case 'status': {
        const t = target(act.device);
        if (t) await deps.status.set(t, act.online, act.detail);
        return 0;
      }
      case 'result': {
        const t = target(act.device);
        if (t) deps.onResult(t, act.item);
        return 0;
      }
      case 'discover': return 0; // done together, before the loop
      case 'ignore':
        if (MALFORMED.test(act.reason)) malformed ??= act.reason;
        else log.debug({ device: a.record.name, topic: msg.topic, reason: act.reason }, 'MQTT message ignored by profile');
        return 0;
    }
  }
}

/**
 * Discovery items of one message: the connection's `known` list is updated in one write; a key that now names
 * another device is a rename (the sub-device keeps its room); sub-devices no item names any more are withdrawn
 * (credentials and room kept, status removed); new ones are enrolled.
 */
async function discoverAll(deps: SendDeps, a: Authorized, found: Discovery[]): Promise<void> {
  if (found.length === 0) return;
  const record = deps.registry.get(a.record.name);
  if (!record) return;
  const before = record.known ?? [];
  const known = found.reduce(mergeKnown, before);
  if (sameJson(known, before)) return;
  await deps.registry.update((data) => { const x = data.devices.find((y) => y.name === record.name); if (x) x.known = known; });
  for (const d of found) {
    const prev = before.find((k) => k.key === d.key);
    if (!d.removed && prev && prev.device !== d.device) await deps.admin.renamed(record.name, prev.device, d);
  }
  const named = new Set(known.map((k) => k.device));
  for (const child of deps.registry.list()) {
    if (child.parent === record.name && child.status !== 'removed' && !named.has(child.child!)) await deps.admin.withdrawn(child.name);
  }
  for (const d of found) {
    if (!d.removed && d.device !== record.name) await deps.admin.discovered({ ...record, known }, d, deps.autoAccept);
  }
}
