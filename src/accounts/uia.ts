/** User-interactive authentication (spec §"User-Interactive Authentication API"): flows, stages, and sessions kept in memory with an expiry. */
import { randomBytes } from 'node:crypto';
import { MatrixError, badJson, type ErrCode } from '../http/errors.js';

/** One flow: stages to complete in order. */
export interface UiaFlow {
  stages: string[];
}

/** A session between the 401 and the request that completes a flow. */
export interface UiaSession {
  readonly id: string;
  /** What the session authorises (e.g. `POST /register`); a session cannot be reused for another operation. */
  readonly operation: string;
  /** The authenticated caller, for endpoints that need an access token. */
  readonly userId: string | undefined;
  readonly expiresTs: number;
  /** Stage types completed so far, in order. */
  completed: string[];
  /** The request parameters last sent (the body without `auth`); clients may omit them on later requests. */
  clientDict: Record<string, unknown>;
  /** What the endpoint keeps between requests: a password hash, a registration token, the user it registered. */
  data: Record<string, unknown>;
}

/** Refusal of one stage attempt: answered as the 401 body with this errcode, so the client can retry. */
export class UiaStageError extends Error {
  readonly errcode: ErrCode;
  constructor(errcode: ErrCode, message: string) {
    super(message);
    this.name = 'UiaStageError';
    this.errcode = errcode;
  }
}

/** Checks one stage's `auth` dict; throws UiaStageError to refuse it. */
export type UiaStage = (auth: Record<string, unknown>, session: UiaSession) => Promise<void> | void;

export interface UiaRequest {
  operation: string;
  userId?: string;
  /** The request body (its `auth` object is read here). */
  body: Record<string, unknown>;
  flows: UiaFlow[];
  params?: Record<string, unknown>;
  /** A checker for every stage type named in `flows`. */
  stages: Record<string, UiaStage>;
  /** Runs before any 401 is answered, e.g. to keep a hashed password in `session.data`. */
  beforeChallenge?: (session: UiaSession) => Promise<void> | void;
}

/**
 * The 401 of user-interactive auth. Its body is `{flows, params, session, completed}`, plus the
 * standard `errcode` and `error` only after a failed stage attempt.
 */
export class UiaRequiredError extends MatrixError {
  private readonly challenge: Record<string, unknown>;
  private readonly failed: boolean;
  constructor(challenge: Record<string, unknown>, failure?: { errcode: ErrCode; message: string }) {
    super(401, failure?.errcode ?? 'M_UNAUTHORIZED', failure?.message ?? 'Additional authentication is required');
    this.challenge = challenge;
    this.failed = failure !== undefined;
  }

  override toJSON(): Record<string, unknown> {
    return this.failed ? { errcode: this.errcode, error: this.message, ...this.challenge } : { ...this.challenge };
  }
}

export interface UiaDeps {
  now: () => number;
  /** How long a session lives after it is created (default one hour). */
  ttlMs?: number;
  /** Most sessions kept; the oldest is dropped beyond it (default 1000). */
  maxSessions?: number;
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Whether `type` is the next stage of some flow whose first stages are exactly `completed`. */
function isNextStage(flows: readonly UiaFlow[], completed: readonly string[], type: string): boolean {
  return flows.some((f) => completed.every((c, i) => f.stages[i] === c) && f.stages[completed.length] === type);
}

/**
 * @example
 *   const session = await uia.authenticate({ operation: 'POST /account/password', userId, body, flows, stages });
 *   // ...do the operation, then:
 *   uia.finish(session);
 */
export function createUia(deps: UiaDeps) {
  const ttl = deps.ttlMs ?? 60 * 60_000;
  const max = deps.maxSessions ?? 1000;
  const sessions = new Map<string, UiaSession>();

  function purge(t: number): void {
    for (const [id, s] of sessions) {
      if (s.expiresTs > t) break; // insertion order is expiry order
      sessions.delete(id);
    }
  }

  function open(req: UiaRequest, sessionId: unknown): UiaSession {
    const t = deps.now();
    purge(t);
    if (sessionId === undefined) {
      const session: UiaSession = {
        id: randomBytes(18).toString('base64url'), operation: req.operation, userId: req.userId,
        expiresTs: t + ttl, completed: [], clientDict: {}, data: {},
      };
      sessions.set(session.id, session);
      if (sessions.size > max) sessions.delete(sessions.keys().next().value!);
      return session;
    }
    if (typeof sessionId !== 'string') throw badJson('auth.session must be a string');
    const session = sessions.get(sessionId);
    if (!session) throw new MatrixError(400, 'M_UNKNOWN', 'Unknown session ID');
    if (session.operation !== req.operation || session.userId !== req.userId) {
      throw new MatrixError(403, 'M_FORBIDDEN', 'Requested operation has changed during the UI authentication session.');
    }
    return session;
  }

  const challengeOf = (req: UiaRequest, s: UiaSession) => ({
    flows: req.flows.map((f) => ({ stages: [...f.stages] })), params: req.params ?? {}, session: s.id, completed: [...s.completed],
  });

  return {
    /**
     * Runs one round of user-interactive auth: attempts the stage in `body.auth`, if any, and resolves
     * with the session once some flow is complete; otherwise throws UiaRequiredError (401).
     */
    async authenticate(req: UiaRequest): Promise<UiaSession> {
      const auth = req.body.auth;
      if (auth !== undefined && !isObject(auth)) throw badJson('auth must be an object');
      const session = open(req, auth?.session);
      const { auth: _auth, ...clientDict } = req.body;
      if (Object.keys(clientDict).length > 0) session.clientDict = clientDict;
      const challenge = async (failure?: { errcode: ErrCode; message: string }): Promise<never> => {
        await req.beforeChallenge?.(session);
        throw new UiaRequiredError(challengeOf(req, session), failure);
      };

      const type = auth?.type;
      if (auth !== undefined && type !== undefined) {
        if (typeof type !== 'string') throw badJson('auth.type must be a string');
        // A completed stage is not checked again: the answer is the 401 with `completed`, or the result.
        if (!session.completed.includes(type)) {
          const stage = req.stages[type];
          if (!stage || !isNextStage(req.flows, session.completed, type)) {
            return challenge({ errcode: 'M_FORBIDDEN', message: `Authentication stage ${type} is not expected here` });
          }
          try {
            await stage(auth, session);
          } catch (err) {
            if (err instanceof UiaStageError) return challenge({ errcode: err.errcode, message: err.message });
            throw err;
          }
          session.completed.push(type);
        }
      }
      if (req.flows.some((f) => f.stages.every((st) => session.completed.includes(st)))) return session;
      return challenge();
    },

    /**
     * Takes back a completed stage (e.g. a registration token used up meanwhile), and the stages after
     * it since flows are followed in order, then answers the 401 with `failure`.
     */
    async revoke(req: UiaRequest, session: UiaSession, stage: string, failure: { errcode: ErrCode; message: string }): Promise<never> {
      const at = session.completed.indexOf(stage);
      if (at >= 0) session.completed = session.completed.slice(0, at);
      throw new UiaRequiredError(challengeOf(req, session), failure);
    },

    /** Ends a session once its operation succeeded, so it cannot authorise a second one. */
    finish(session: UiaSession): void {
      sessions.delete(session.id);
    },

    /** Sessions currently held (for tests and metrics). */
    size: () => sessions.size,
  };
}

export type Uia = ReturnType<typeof createUia>;
