/** `hearth start`: runs the hub until SIGINT/SIGTERM, printing one line per listener. */
import { createLogger } from '../log.js';
import { openStore } from '../storage/index.js';
import { loadOrCreateServerKeys } from '../keys/signing-key.js';
import { loadOrCreateTlsCert } from '../keys/tls-cert.js';
import { createHomeserver, LISTENER_LABELS } from '../homeserver.js';
import { createBackgroundThread } from '../background/background-thread.js';
import { parseCommand } from './args.js';
import { ensureDataDir } from './data-dir.js';
import type { CliIo } from './io.js';

export async function startCommand(argv: string[], io: CliIo): Promise<number> {
  const { config, values } = await parseCommand(argv, io.env, 'all');
  if (values.help) { io.out(io.help('start')); return 0; }
  const dataDir = ensureDataDir(config.dataDir);
  const log = createLogger({ level: config.logLevel, write: io.log });
  // One background thread for the store (WAL checkpoints) and the writer (signing), started only when needed.
  const background = createBackgroundThread();
  const store = await openStore({ database: config.database, dataDir, log, background });
  let stopping: Promise<void> | undefined;
  try {
    const keys = loadOrCreateServerKeys(dataDir);
    const host = config.serverName.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
    const tls = config.federationPort !== null && config.federationTls ? loadOrCreateTlsCert(dataDir, host, new Date()) : undefined;
    const hs = await createHomeserver({ config, store, keys, log, now: Date.now, tls, background });
    const listeners = await hs.start();
    for (const l of listeners) io.out(`${LISTENER_LABELS[l.name as 'client' | 'federation']} on ${l.url}`);
    for (const line of hs.gateway()?.lines ?? []) io.out(line);
    const coap = hs.coap();
    if (coap) io.out(`CoAP on ${coap.url}`);
    log.info({ serverName: config.serverName, backend: store.backend, ms: Math.round(performance.now()) }, 'hearth is serving');
    await new Promise<void>((resolve) => {
      const stop = (signal: string) => {
        if (stopping) return;
        log.info({ signal }, 'shutting down');
        stopping = hs.stop().then(resolve, resolve);
      };
      io.onSignal('SIGINT', () => stop('SIGINT'));
      io.onSignal('SIGTERM', () => stop('SIGTERM'));
    });
  } finally {
    await store.close();
    await background.close();
  }
  return 0;
}
