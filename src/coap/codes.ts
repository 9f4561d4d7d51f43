/** CoAP protocol codes as typed constants: response codes, options, Content-Formats, and the HTTP status → CoAP code map. */

/** Response codes used by Hearth (RFC 7252 §12.1.2, RFC 7959, RFC 8516 for 4.29). */
export const CoapCode = {
  CREATED: '2.01',
  DELETED: '2.02',
  VALID: '2.03',
  CHANGED: '2.04',
  CONTENT: '2.05',
  CONTINUE: '2.31',
  BAD_REQUEST: '4.00',
  UNAUTHORIZED: '4.01',
  BAD_OPTION: '4.02',
  FORBIDDEN: '4.03',
  NOT_FOUND: '4.04',
  METHOD_NOT_ALLOWED: '4.05',
  NOT_ACCEPTABLE: '4.06',
  REQUEST_ENTITY_INCOMPLETE: '4.08',
  CONFLICT: '4.09',
  PRECONDITION_FAILED: '4.12',
  REQUEST_ENTITY_TOO_LARGE: '4.13',
  UNSUPPORTED_CONTENT_FORMAT: '4.15',
  TOO_MANY_REQUESTS: '4.29',
  INTERNAL_SERVER_ERROR: '5.00',
  NOT_IMPLEMENTED: '5.01',
  BAD_GATEWAY: '5.02',
  SERVICE_UNAVAILABLE: '5.03',
  GATEWAY_TIMEOUT: '5.04',
} as const;
export type CoapCode = (typeof CoapCode)[keyof typeof CoapCode];

/** Option names as node-coap spells them; numbers without a registered name appear as their decimal string. */
export const CoapOption = {
  OBSERVE: 'Observe',
  URI_PATH: 'Uri-Path',
  URI_QUERY: 'Uri-Query',
  CONTENT_FORMAT: 'Content-Format',
  ACCEPT: 'Accept',
  MAX_AGE: 'Max-Age',
  BLOCK1: 'Block1',
  BLOCK2: 'Block2',
  SIZE1: 'Size1',
  SIZE2: 'Size2',
  /** MSC3079: the access token (Matrix) or device token (gateway), same format as Uri-Query. */
  AUTHORIZATION: '256',
  /** MSC3079: the CBOR integer-key table version the client wants (uint; sticky per client endpoint). */
  CBOR_KEY_VERSION: '257',
} as const;
export type CoapOption = (typeof CoapOption)[keyof typeof CoapOption];

/** Option numbers, for the few replies built without node-coap (guards that answer before it parses). */
export const OptionNumber = { MAX_AGE: 14, BLOCK1: 27, SIZE1: 60 } as const;

/** Content-Format registry numbers (RFC 7252 §12.3). */
export const ContentFormat = { TEXT: 0, OCTET_STREAM: 42, JSON: 50, CBOR: 60 } as const;
export type ContentFormat = (typeof ContentFormat)[keyof typeof ContentFormat];

/** Observe option values of a GET (RFC 7641 §2). */
export const ObserveAction = { REGISTER: 0, DEREGISTER: 1 } as const;

/** Message types of the CoAP header (RFC 7252 §3). */
export const MessageType = { CON: 0, NON: 1, ACK: 2, RST: 3 } as const;
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

/**
 * HTTP status → CoAP code, as MSC3079's reference proxy maps them (200, 400, 401, 403, 404, 405, 413, 500,
 * 502, 504), plus 429 → 4.29 (RFC 8516) and the other direct equivalents of RFC 8075 §7.
 */
export const HTTP_TO_COAP: Readonly<Record<number, CoapCode>> = Object.freeze({
  200: CoapCode.CONTENT,
  201: CoapCode.CREATED,
  204: CoapCode.CHANGED,
  400: CoapCode.BAD_REQUEST,
  401: CoapCode.UNAUTHORIZED,
  403: CoapCode.FORBIDDEN,
  404: CoapCode.NOT_FOUND,
  405: CoapCode.METHOD_NOT_ALLOWED,
  406: CoapCode.NOT_ACCEPTABLE,
  409: CoapCode.CONFLICT,
  412: CoapCode.PRECONDITION_FAILED,
  413: CoapCode.REQUEST_ENTITY_TOO_LARGE,
  415: CoapCode.UNSUPPORTED_CONTENT_FORMAT,
  429: CoapCode.TOO_MANY_REQUESTS,
  500: CoapCode.INTERNAL_SERVER_ERROR,
  501: CoapCode.NOT_IMPLEMENTED,
  502: CoapCode.BAD_GATEWAY,
  503: CoapCode.SERVICE_UNAVAILABLE,
  504: CoapCode.GATEWAY_TIMEOUT,
});

/**
 * The CoAP code for an HTTP status: the table above, else the class default (2xx → 2.05, 4xx → 4.00,
 * anything else → 5.00), so no reply ever goes out as an empty message.
 * @example coapCodeForStatus(429) // '4.29'
 */
export function coapCodeForStatus(status: number): CoapCode {
  const direct = HTTP_TO_COAP[status];
  if (direct) return direct;
  if (status >= 200 && status < 300) return CoapCode.CONTENT;
  if (status >= 400 && status < 500) return CoapCode.BAD_REQUEST;
  return CoapCode.INTERNAL_SERVER_ERROR;
}

/** Whether a CoAP code is a success (2.xx). */
export const isSuccess = (code: string): boolean => code.startsWith('2.');
