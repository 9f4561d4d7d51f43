/** `hearth device add|list|remove|accept`: sent to the running hub's admin socket, or done here against the data dir when no hub runs. */
import { openStore } from '../storage/index.js';
import { createLogger } from '../log.js';
import { loadOrCreateServerKeys } from '../keys/signing-key.js';
import { createServices } from '../create-services.js';
import type { HubConfig } from '../config/options.js';
import { adminRequest, type AdminRequest } from './admin-socket.js';
import { parseCommand, UsageError } from './args.js';
import { ensureDataDir } from './data-dir.js';
import type { CliIo } from './io.js';

/** A refusal from the device admin (name taken, unknown profile, …): one line, exit 1. */
class DeviceCommandError extends Error {}

/** Runs the request in this process: the same room service over the same database, used only when no hub answers. */
async function runLocally(config: HubConfig, dataDir: string, io: CliIo, req: AdminRequest): Promise<unknown> {
  if (req.command === 'device.list') {
    // Reading needs no room service: the registry file alone.
    const { openRegistry } = await import('../../gateway/registry.js');
    const { summarize } = await import('../../gateway/device-admin.js');
    const registry = await openRegistry({ dataDir });
    return registry.list().map(summarize);
  }
  const log = createLogger({ level: 'warn', write: io.log });
  const store = await openStore({ database: config.database, dataDir, log });
  try {
    const services = await createServices({ config, store, keys: loadOrCreateServerKeys(dataDir), log, now: io.now });
    const { createDeviceHost, deviceAdminHandlers } = await import('../../gateway/device-host.js');
    const host = await createDeviceHost(services, { dataDir, watch: false });
    try {
      return await deviceAdminHandlers(host.admin)[req.command]!(req.args);
    } catch (err) {
      if ((err as Error)?.name === 'DeviceAdminError') throw new DeviceCommandError((err as Error).message);
      throw err;
    } finally {
      host.close();
      services.typing.close();
    }
  } finally {
    await store.close();
  }
}

/** Sends `req` to the running hub, or runs it here when none answers. */
async function run(config: HubConfig, io: CliIo, req: AdminRequest): Promise<unknown> {
  const dataDir = ensureDataDir(config.dataDir);
  const res = await adminRequest(dataDir, req);
  if (!res) return runLocally(config, dataDir, io, req);
  if (res.ok) return res.result;
  throw res.refused ? new DeviceCommandError(res.error) : new Error(`the hub could not do it: ${res.error}`);
}

const OWN = { profile: { type: 'string' }, topic: { type: 'string' }, key: { type: 'string' }, 'device-user-prefix': { type: 'string' } } as const;

export async function deviceCommand(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'add' && sub !== 'list' && sub !== 'remove' && sub !== 'accept') {
    throw new UsageError(sub ? `unknown command "device ${sub}" (use add, list, remove or accept)` : 'device needs a command: add, list, remove or accept');
  }
  const { config, values, positionals } = await parseCommand(rest, io.env, 'common', sub === 'add' ? OWN : { 'device-user-prefix': OWN['device-user-prefix'] }, sub === 'list' ? 0 : 1);
  if (values.help) { io.out(io.help('device')); return 0; }
  if (typeof values['device-user-prefix'] === 'string') config.deviceUserPrefix = values['device-user-prefix'];
  const name = positionals[0];
  if (sub !== 'list' && !name) throw new UsageError(`device ${sub} needs a NAME, e.g. hearth device ${sub} kitchen${sub === 'add' ? ' --profile tasmota' : ''}`);
  try {
    if (sub === 'add') {
      if (typeof values.profile !== 'string') throw new UsageError('device add needs --profile, e.g. --profile tasmota');
      const args = { name, profile: values.profile, topic: values.topic, key: values.key };
      io.out(JSON.stringify(await run(config, io, { command: 'device.add', args })));
      return 0;
    }
    if (sub === 'list') {
      const devices = (await run(config, io, { command: 'device.list', args: {} })) as Array<Record<string, string>>;
      for (const d of devices) io.out([d.device, d.profile, d.topic, d.status, d.room_id || '-', ...(d.parent ? [`via ${d.parent}`] : [])].join('\t'));
      return 0;
    }
    io.out(JSON.stringify(await run(config, io, { command: `device.${sub}`, args: { name } })));
    return 0;
  } catch (err) {
    if (err instanceof DeviceCommandError) { io.err(`hearth: ${err.message}`); return 1; }
    throw err;
  }
}
