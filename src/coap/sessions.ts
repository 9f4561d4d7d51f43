/** Per-client-endpoint MSC3079 state: the sticky access token (option 256) and the CBOR key version (option 257), bounded and expiring. */

export interface EndpointSession {
  /** The last access token this endpoint sent; used when a request omits option 256. */
  token?: string;
  /** The CBOR integer-key version the client asked for with option 257 (0: plain string keys). */
  cborVersion?: number;
  at: number;
}

export interface SessionOptions {
  /** Endpoints remembered at once; the least recently seen is forgotten first. */
  maxEndpoints: number;
  /** An endpoint silent for this long starts afresh (UDP has no connection to close). */
  idleMs: number;
  now: () => number;
}

/**
 * UDP has no connections, so "per connection" in MSC3079 becomes "per (address, port) until idle": a client
 * that changes port or stays silent past `idleMs` must send option 256 again.
 * @example
 *   const s = createSessions({ maxEndpoints: 1024, idleMs: 600_000, now: Date.now });
 *   s.touch('192.168.1.9:5683').token = 'syt_…';
 */
export function createSessions(opts: SessionOptions) {
  const sessions = new Map<string, EndpointSession>();
  return {
    /** The endpoint's session (created when new or expired), marked as just seen. */
    touch(endpoint: string): EndpointSession {
      const t = opts.now();
      let s = sessions.get(endpoint);
      sessions.delete(endpoint);
      if (!s || t - s.at > opts.idleMs) s = { at: t };
      s.at = t;
      sessions.set(endpoint, s);
      while (sessions.size > opts.maxEndpoints) sessions.delete(sessions.keys().next().value!);
      return s;
    },
    size: () => sessions.size,
  };
}

export type Sessions = ReturnType<typeof createSessions>;
