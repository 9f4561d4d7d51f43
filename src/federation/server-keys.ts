/** Federation identity endpoints: GET /_matrix/federation/v1/version and the signed server key document. */
import { signJson } from '../events/signing.js';
import type { Route } from '../http/route.js';
import type { ServerKeys } from '../keys/signing-key.js';

export interface ServerKeysDeps {
  serverName: string;
  keys: ServerKeys;
  version: string;
  now: () => number;
  /** How long a fetched key document stays valid (default one day, like Synapse's key_refresh_interval). */
  validityMs?: number;
}

/** The server key document of §"Publishing Keys", signed with the current key. */
export function serverKeyDocument(deps: ServerKeysDeps): Record<string, unknown> {
  const { current, old } = deps.keys;
  const doc = {
    server_name: deps.serverName,
    valid_until_ts: deps.now() + (deps.validityMs ?? 86_400_000),
    verify_keys: { [current.keyId]: { key: current.publicKey } },
    old_verify_keys: old,
  };
  return signJson(doc, deps.serverName, current.keyId, current.signer);
}

export function serverKeyRoutes(deps: ServerKeysDeps): Route[] {
  const keyRoute = (path: string, listener: 'client' | 'federation'): Route => ({
    method: 'GET', path, auth: 'none', listener,
    /** GET /_matrix/key/v2/server */
    handler: () => serverKeyDocument(deps),
  });
  return [
    {
      method: 'GET', path: '/_matrix/federation/v1/version', auth: 'none', listener: 'federation',
      /** GET /_matrix/federation/v1/version */
      handler: () => ({ server: { name: 'Hearth', version: deps.version } }),
    },
    keyRoute('/_matrix/key/v2/server', 'federation'),
    // The deprecated key-id form still reaches the same document (Synapse serves it too).
    keyRoute('/_matrix/key/v2/server/{keyId}', 'federation'),
  ];
}
