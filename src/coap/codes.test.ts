/** MSC3079 status mapping: HTTP statuses to CoAP response codes as the MSC's reference proxy maps them (RFC 8075 §7). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CoapCode, HTTP_TO_COAP, coapCodeForStatus, isSuccess } from './codes.js';

describe('MSC3079 "HTTP -> CoAP" status mapping', () => {
  it('maps the statuses of the issue and the reference proxy', () => {
    const table: Array<[number, string]> = [
      [200, '2.05'], [400, '4.00'], [401, '4.01'], [403, '4.03'], [404, '4.04'], [405, '4.05'],
      [413, '4.13'], [429, '4.29'], [500, '5.00'], [502, '5.02'], [504, '5.04'],
    ];
    for (const [status, code] of table) assert.equal(coapCodeForStatus(status), code, String(status));
  });

  it('falls back by class so no reply is ever an empty message (RFC 8075 §7: 2.05, 4.00, 5.00)', () => {
    assert.equal(coapCodeForStatus(202), CoapCode.CONTENT);
    assert.equal(coapCodeForStatus(418), CoapCode.BAD_REQUEST);
    assert.equal(coapCodeForStatus(507), CoapCode.INTERNAL_SERVER_ERROR);
    assert.equal(coapCodeForStatus(302), CoapCode.INTERNAL_SERVER_ERROR);
  });

  it('maps only to codes that exist in the CoAP registries', () => {
    const known = new Set<string>(Object.values(CoapCode));
    for (const code of Object.values(HTTP_TO_COAP)) assert.ok(known.has(code), code);
    assert.ok(isSuccess(CoapCode.CHANGED));
    assert.ok(!isSuccess(CoapCode.TOO_MANY_REQUESTS));
  });
});
