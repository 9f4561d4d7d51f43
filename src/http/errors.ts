/** MatrixError: the typed error every handler throws, and the one place it is turned into a response body. */

/** Every errcode of the spec's Client-Server and Server-Server APIs that Hearth may send. */
export type ErrCode =
  | 'M_FORBIDDEN' | 'M_UNKNOWN_TOKEN' | 'M_MISSING_TOKEN' | 'M_USER_LOCKED' | 'M_USER_SUSPENDED'
  | 'M_BAD_JSON' | 'M_NOT_JSON' | 'M_NOT_FOUND' | 'M_LIMIT_EXCEEDED' | 'M_UNRECOGNIZED' | 'M_UNKNOWN'
  | 'M_UNAUTHORIZED' | 'M_USER_DEACTIVATED' | 'M_USER_IN_USE' | 'M_INVALID_USERNAME' | 'M_ROOM_IN_USE'
  | 'M_INVALID_ROOM_STATE' | 'M_THREEPID_IN_USE' | 'M_THREEPID_NOT_FOUND' | 'M_THREEPID_AUTH_FAILED'
  | 'M_THREEPID_DENIED' | 'M_THREEPID_MEDIUM_NOT_SUPPORTED' | 'M_SERVER_NOT_TRUSTED'
  | 'M_UNSUPPORTED_ROOM_VERSION' | 'M_INCOMPATIBLE_ROOM_VERSION' | 'M_BAD_STATE' | 'M_GUEST_ACCESS_FORBIDDEN'
  | 'M_CAPTCHA_NEEDED' | 'M_CAPTCHA_INVALID' | 'M_MISSING_PARAM' | 'M_INVALID_PARAM' | 'M_TOO_LARGE'
  | 'M_EXCLUSIVE' | 'M_RESOURCE_LIMIT_EXCEEDED' | 'M_CANNOT_LEAVE_SERVER_NOTICE_ROOM' | 'M_WEAK_PASSWORD'
  | 'M_UNKNOWN_DEVICE' | 'M_USER_LIMIT_EXCEEDED' | 'M_APPSERVICE_LOGIN_UNSUPPORTED'
  | 'M_INVALID_SIGNATURE' | 'M_WRONG_ROOM_KEYS_VERSION'
  | 'M_CANNOT_OVERWRITE_MEDIA' | 'M_NOT_YET_UPLOADED';

/** An error with a Matrix errcode and HTTP status; `extra` fields are merged into the JSON body. */
export class MatrixError extends Error {
  readonly errcode: ErrCode;
  readonly status: number;
  readonly extra: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(status: number, errcode: ErrCode, message: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'MatrixError';
    this.status = status;
    this.errcode = errcode;
    this.extra = extra;
    this.headers = headers;
  }

  /** The response body: `{errcode, error, ...extra}`. */
  toJSON(): Record<string, unknown> {
    return { errcode: this.errcode, error: this.message, ...this.extra };
  }
}

export const forbidden = (msg = 'Forbidden', extra?: Record<string, unknown>): MatrixError => new MatrixError(403, 'M_FORBIDDEN', msg, extra);
export const notFound = (msg = 'Not found'): MatrixError => new MatrixError(404, 'M_NOT_FOUND', msg);
export const badJson = (msg: string): MatrixError => new MatrixError(400, 'M_BAD_JSON', msg);
export const missingParam = (msg: string): MatrixError => new MatrixError(400, 'M_MISSING_PARAM', msg);
export const invalidParam = (msg: string): MatrixError => new MatrixError(400, 'M_INVALID_PARAM', msg);
export const unrecognized = (status: 404 | 405 | 400, msg = 'Unrecognized request'): MatrixError => new MatrixError(status, 'M_UNRECOGNIZED', msg);
export const tooLarge = (msg = 'Request body too large'): MatrixError => new MatrixError(413, 'M_TOO_LARGE', msg);
export const limitExceeded = (retryAfterMs: number): MatrixError =>
  new MatrixError(429, 'M_LIMIT_EXCEEDED', 'Too many requests', { retry_after_ms: retryAfterMs }, { 'Retry-After': String(Math.ceil(retryAfterMs / 1000)) });

/**
 * Turns anything thrown by a handler into a status and body. Unknown errors become 500 M_UNKNOWN,
 * and the caller logs them; no stack trace or internal message ever reaches the client.
 */
export function errorResponse(err: unknown): { status: number; body: Record<string, unknown>; headers: Record<string, string>; unexpected: boolean } {
  if (err instanceof MatrixError) return { status: err.status, body: err.toJSON(), headers: err.headers, unexpected: false };
  return { status: 500, body: { errcode: 'M_UNKNOWN', error: 'Internal server error' }, headers: {}, unexpected: true };
}
