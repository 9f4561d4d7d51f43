/** MSC3079 `/sync` with Observe: the server long-polls on the client's behalf and pushes each new sync response as a confirmable notification. */
import type { Logger } from '../log.js';
import type { Dispatch, DispatchRequest, DispatchResult } from '../http/dispatch.js';
import { CoapCode, type ContentFormat } from './codes.js';
import type { CoapExchange } from './exchange.js';
import type { Observations } from './observe.js';

/** How long each long-poll made for an observer waits for news, unless the client's `timeout` says otherwise. */
export const OBSERVE_POLL_MS = 60_000;
const MAX_POLL_MS = 5 * 60_000;

export interface SyncObserveDeps {
  dispatch: Dispatch;
  observations: Observations;
  log: Logger;
}

type Encode = (result: DispatchResult) => { payload: Buffer; format: ContentFormat; code: CoapCode };

/** `base` with `since` and `timeout` set, keeping the client's other parameters (filter, set_presence, ...). */
function withPosition(base: DispatchRequest, since: string | undefined, timeoutMs: number, onClose: (fn: () => void) => void): DispatchRequest {
  const q = base.url.indexOf('?');
  const params = new URLSearchParams(q === -1 ? '' : base.url.slice(q + 1));
  if (since !== undefined) params.set('since', since);
  params.set('timeout', String(timeoutMs));
  return { ...base, url: `${q === -1 ? base.url : base.url.slice(0, q)}?${params.toString()}`, onClose };
}

const nextBatchOf = (r: DispatchResult) => (r.body as { next_batch?: unknown } | undefined)?.next_batch;

/**
 * Registers the observer (keyed by client endpoint and token) and runs its loop: the first notification is the
 * sync as of now (the client's `since`, no waiting); then each long-poll from the last pushed `next_batch` that
 * moves it is pushed, and the loop waits for the client's ACK before polling again, so an unacknowledged update
 * is never skipped: the registration ends instead, and the client re-registers from the last `next_batch` it got.
 * A non-200 sync is pushed once as the error and ends the registration, as the reference proxy does.
 */
export function observeSync(deps: SyncObserveDeps, ex: CoapExchange, resource: string, base: DispatchRequest, encode: Encode): void {
  const reg = deps.observations.register(ex, resource);
  if (reg.kind === 'duplicate') return;
  if (reg.kind === 'full') { ex.reply(CoapCode.SERVICE_UNAVAILABLE); return; }
  const observer = reg.observer;
  const asked = Number(ex.query.get('timeout') ?? OBSERVE_POLL_MS);
  const pollMs = Number.isFinite(asked) && asked > 0 ? Math.min(asked, MAX_POLL_MS) : OBSERVE_POLL_MS;
  const onClose = (fn: () => void) => observer.onClose(fn);

  const loop = async () => {
    let since = ex.query.get('since') ?? undefined;
    let first = true;
    while (!observer.closed()) {
      const result = await deps.dispatch(withPosition(base, since, first ? 0 : pollMs, onClose));
      if (observer.closed()) return;
      const next = nextBatchOf(result);
      if (result.status !== 200 || typeof next !== 'string') {
        const { payload, format, code } = encode(result);
        await observer.notify(payload, format, code);
        observer.close();
        return;
      }
      if (first || next !== since) {
        const { payload, format, code } = encode(result);
        if (!(await observer.notify(payload, format, code))) return;
        since = next;
      }
      first = false;
    }
  };
  loop().catch((err: unknown) => {
    deps.log.error({ err, endpoint: ex.endpoint }, 'observed /sync failed');
    observer.close();
  });
}
