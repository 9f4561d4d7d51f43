/** Test support: a real hub in-process on loopback ports, with a fresh data dir and SQLite file. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHomeserver, type Homeserver } from '../../src/homeserver.js';
import { withDerivedDefaults, DEFAULTS, type HubConfig } from '../../src/config/options.js';
import { createLogger } from '../../src/log.js';
import { openStore } from '../../src/storage/index.js';
import { createBackgroundThread } from '../../src/background/background-thread.js';
import type { Store } from '../../src/storage/types.js';
import { loadOrCreateServerKeys, type ServerKeys } from '../../src/keys/signing-key.js';
import { loadOrCreateTlsCert } from '../../src/keys/tls-cert.js';

export interface TestHub {
  config: HubConfig;
  store: Store;
  keys: ServerKeys;
  hs: Homeserver;
  clientUrl: string;
  federationUrl: string;
  dataDir: string;
  stop(): Promise<void>;
}

export function tempDir(prefix = 'hearth-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface TestHubOptions {
  /** The hub's clock (default Date.now), e.g. a fake one that a test advances. */
  now?: () => number;
}

/** Starts a hub with loopback listeners and a temp data dir. Rate limiting is off unless `overrides` turn it on. */
export async function startTestHub(overrides: Partial<HubConfig> = {}, opts: TestHubOptions = {}): Promise<TestHub> {
  const dataDir = overrides.dataDir ?? tempDir();
  const config = withDerivedDefaults({
    ...DEFAULTS, dataDir, bind: '127.0.0.1', clientPort: 0, federationPort: 0, mqttPort: null, coapPort: null, coapBind: '127.0.0.1',
    federationTls: false, logLevel: 'silent', rateLimit: false, ...overrides,
  });
  const log = createLogger({ level: config.logLevel });
  const background = createBackgroundThread();
  const store = await openStore({ database: config.database, dataDir, log, background });
  const keys = loadOrCreateServerKeys(dataDir);
  const tls = config.federationTls ? loadOrCreateTlsCert(dataDir, '127.0.0.1', new Date()) : undefined;
  const hs = await createHomeserver({ config, store, keys, log, now: opts.now ?? Date.now, tls, background });
  const listeners = await hs.start();
  const url = (name: string) => listeners.find((l) => l.name === name)?.url.replace('0.0.0.0', '127.0.0.1') ?? '';
  return {
    config, store, keys, hs, dataDir, clientUrl: url('client'), federationUrl: url('federation'),
    async stop() {
      await hs.stop(1000);
      await store.close();
      await background.close();
      if (!overrides.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
