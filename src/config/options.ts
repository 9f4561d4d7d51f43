/** The table of hub settings: each flag's name, environment variable, YAML key, default and validation. */
import { LOG_LEVELS } from '../log.js';

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** A listener port, or 'off' for a disabled listener (null). */
export type Port = number | null;

export interface HubConfig {
  dataDir: string;
  serverName: string;
  bind: string;
  clientPort: Port;
  federationPort: Port;
  mqttPort: Port;
  /** MQTT over WebSocket port of the embedded broker (browser dashboards), or null. */
  mqttWsPort: Port;
  /** mqtt(s)://host:port of an external broker to attach to instead of embedding one; undefined: embedded. */
  mqttBroker: string | undefined;
  mqttBrokerUsername: string | undefined;
  mqttBrokerPassword: string | undefined;
  /** PEM files for TLS to the external broker: a CA to trust, a client certificate and its key. */
  mqttBrokerCa: string | undefined;
  mqttBrokerCert: string | undefined;
  mqttBrokerKey: string | undefined;
  /** Localpart prefix of device users: `device_` gives `@device_kitchen:server`. */
  deviceUserPrefix: string;
  /** Sub-devices discovered through a bridge: rooms at once (auto) or after `hearth device accept` (manual). */
  deviceDiscovery: 'auto' | 'manual';
  /** MQTT messages per second each device may sustain, and in a burst. */
  deviceRateLimit: number;
  deviceRateBurst: number;
  /** Largest MQTT payload in bytes the gateway accepts. */
  mqttMaxPayload: number;
  /** How long a command waits for the device's acknowledgement, in ms. */
  commandTimeout: number;
  coapPort: Port;
  /** Address the CoAP listener binds to: 'lan' (this machine's private LAN address, else loopback) or an address. */
  coapBind: string;
  /** Whose datagrams CoAP answers: 'lan' (loopback, private and link-local sources only) or 'any'. */
  coapAllow: 'lan' | 'any';
  /** CoAP requests per second each source address may sustain (twice that in a burst), or null for no limit. */
  coapRateLimit: number | null;
  registration: 'closed' | 'open' | 'token';
  /** undefined: SQLite in the data dir; otherwise a postgres:// URL. */
  database: string | undefined;
  federationTls: boolean;
  logLevel: (typeof LOG_LEVELS)[number];
  /** The client base URL advertised by /.well-known/matrix/client. */
  publicBaseurl: string;
  /** `host:port` for /.well-known/matrix/server, or null to serve no such file. */
  wellKnownServer: string | null;
  /** Largest JSON request body in bytes. */
  maxRequestSize: number;
  /** Largest media upload in bytes (advertised as `m.upload.size`). */
  maxUploadSize: number;
  /** Whether `POST /register?kind=guest` may create guest accounts. */
  allowGuests: boolean;
  /** Shared secret of `/_synapse/admin/v1/register`; undefined turns that endpoint off. */
  registrationSharedSecret: string | undefined;
  /** Lifetime in ms of access tokens issued with a refresh token. */
  accessTokenLifetime: number;
  /** Whether client requests are rate limited (per user, or per IP address when unauthenticated). */
  rateLimit: boolean;
  /** Requests per second each user or address may sustain. */
  rateLimitPerSecond: number;
  /** Requests each user or address may make in a burst. */
  rateLimitBurst: number;
  /** Behind a reverse proxy: the client address is the last one in X-Forwarded-For (Synapse's `x_forwarded`). */
  xForwarded: boolean;
  /** Whether presence is tracked; off: PUT /presence is accepted and ignored and everyone reads offline. */
  presence: boolean;
  /** TURN server URIs handed to clients by GET /voip/turnServer; empty: no TURN. */
  turnUris: readonly string[];
  /** Shared secret of the TURN server's REST API (coturn `static-auth-secret`); undefined: no TURN credentials. */
  turnSharedSecret: string | undefined;
  /** Lifetime of TURN credentials, in seconds. */
  turnTtl: number;
}

export interface OptionSpec {
  flag: string;
  key: keyof HubConfig;
  help: string;
  arg: string;
  parse: (raw: string) => unknown;
}

const port = (name: string) => (raw: string): Port => {
  if (raw === 'off') return null;
  if (!/^\d+$/.test(raw) || Number(raw) > 65535) throw new ConfigError(`--${name} must be a port number (0-65535) or "off", not "${raw}"`);
  return Number(raw);
};
const oneOf = <T extends string>(name: string, values: readonly T[]) => (raw: string): T => {
  if (!(values as readonly string[]).includes(raw)) throw new ConfigError(`--${name} must be one of ${values.join(', ')}, not "${raw}"`);
  return raw as T;
};
const nonEmpty = (name: string) => (raw: string): string => {
  if (raw.trim() === '') throw new ConfigError(`--${name} must not be empty`);
  return raw;
};
const positive = (name: string) => (raw: string): number => {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n <= 0) throw new ConfigError(`--${name} must be a positive number, not "${raw}"`);
  return n;
};
const DURATION = /^(\d+)\s*(ms|s|m|h|d)?$/;
const DURATION_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const SERVER_NAME = /^(?:\[[0-9A-Fa-f:.]{2,45}\]|\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Za-z.-]{1,255})(?::\d{1,5})?$/;
const SIZE = /^(\d+)\s*(k|kb|kib|m|mb|mib)?$/i;

/** Every setting of `hearth start`, in the order --help lists them. */
export const START_OPTIONS: readonly OptionSpec[] = [
  { flag: 'data-dir', key: 'dataDir', arg: 'DIR', help: 'where the database, signing key and TLS certificate live (default ./hearth-data)', parse: nonEmpty('data-dir') },
  { flag: 'server-name', key: 'serverName', arg: 'NAME', help: 'the server name in user and room ids (default localhost)', parse: (raw) => {
    // Server Name grammar of the appendices: hostname, IPv4 or [IPv6], optional port.
    if (!SERVER_NAME.test(raw)) throw new ConfigError(`--server-name "${raw}" is not a valid Matrix server name`);
    return raw;
  } },
  { flag: 'bind', key: 'bind', arg: 'ADDR', help: 'address every listener binds to (default 0.0.0.0)', parse: nonEmpty('bind') },
  { flag: 'client-port', key: 'clientPort', arg: 'N|off', help: 'Client-Server API port (default 8008)', parse: port('client-port') },
  { flag: 'federation-port', key: 'federationPort', arg: 'N|off', help: 'Server-Server API port (default 8448)', parse: port('federation-port') },
  { flag: 'mqtt-port', key: 'mqttPort', arg: 'N|off', help: 'MQTT port of the device gateway (default 1883)', parse: port('mqtt-port') },
  { flag: 'mqtt-ws-port', key: 'mqttWsPort', arg: 'N|off', help: 'MQTT over WebSocket port of the embedded broker, for browser dashboards (default off)', parse: port('mqtt-ws-port') },
  { flag: 'mqtt-broker', key: 'mqttBroker', arg: 'URL|off', help: 'attach to an external broker (mqtt://host:1883, mqtts://host:8883) instead of embedding one (default off)', parse: (raw) => {
    if (raw === 'off' || raw === '') return undefined;
    if (!/^(mqtts?|tcp|ssl|wss?):\/\/[^\s/]+/.test(raw)) throw new ConfigError(`--mqtt-broker must be a mqtt:// or mqtts:// URL, or "off", not "${raw}"`);
    return raw;
  } },
  { flag: 'mqtt-broker-username', key: 'mqttBrokerUsername', arg: 'NAME', help: 'user name for the external broker', parse: nonEmpty('mqtt-broker-username') },
  { flag: 'mqtt-broker-password', key: 'mqttBrokerPassword', arg: 'SECRET', help: 'password for the external broker', parse: nonEmpty('mqtt-broker-password') },
  { flag: 'mqtt-broker-ca', key: 'mqttBrokerCa', arg: 'FILE', help: 'PEM CA certificate to trust for mqtts:// (default: the system CAs)', parse: nonEmpty('mqtt-broker-ca') },
  { flag: 'mqtt-broker-cert', key: 'mqttBrokerCert', arg: 'FILE', help: 'PEM client certificate for the external broker', parse: nonEmpty('mqtt-broker-cert') },
  { flag: 'mqtt-broker-key', key: 'mqttBrokerKey', arg: 'FILE', help: 'PEM key of that client certificate', parse: nonEmpty('mqtt-broker-key') },
  { flag: 'device-user-prefix', key: 'deviceUserPrefix', arg: 'PREFIX', help: 'localpart prefix of device users, e.g. device_ gives @device_kitchen:NAME (default device_)', parse: (raw) => {
    if (!/^[a-z0-9._=\/-]{1,32}$/.test(raw)) throw new ConfigError(`--device-user-prefix must be 1-32 characters of a-z 0-9 . _ = - /, not "${raw}"`);
    return raw;
  } },
  { flag: 'device-discovery', key: 'deviceDiscovery', arg: 'auto|manual', help: 'devices found through a bridge get rooms at once, or after hearth device accept (default auto)', parse: oneOf('device-discovery', ['auto', 'manual'] as const) },
  { flag: 'device-rate-limit', key: 'deviceRateLimit', arg: 'N', help: 'MQTT messages per second each device may sustain (default 20)', parse: positive('device-rate-limit') },
  { flag: 'device-rate-burst', key: 'deviceRateBurst', arg: 'N', help: 'MQTT messages each device may send at once (default 100)', parse: positive('device-rate-burst') },
  { flag: 'mqtt-max-payload', key: 'mqttMaxPayload', arg: 'BYTES', help: 'largest MQTT payload accepted, e.g. 64k (default 256k)', parse: (raw) => {
    const m = SIZE.exec(raw.trim());
    if (!m || Number(m[1]) === 0) throw new ConfigError(`--mqtt-max-payload must be a size like 65536, 64k or 1M, not "${raw}"`);
    const unit = (m[2] ?? '').toLowerCase();
    return Number(m[1]) * (unit.startsWith('k') ? 1024 : unit.startsWith('m') ? 1024 * 1024 : 1);
  } },
  { flag: 'command-timeout', key: 'commandTimeout', arg: 'DURATION', help: 'how long a device command waits for its acknowledgement, e.g. 10s (default 10s)', parse: (raw) => {
    const m = DURATION.exec(raw.trim());
    if (!m || Number(m[1]) === 0) throw new ConfigError(`--command-timeout must be a duration like 10s or 1m, not "${raw}"`);
    return Number(m[1]) * DURATION_MS[m[2] ?? 'ms']!;
  } },
  { flag: 'coap-port', key: 'coapPort', arg: 'N|off', help: 'CoAP port: device endpoints and the MSC3079 low-bandwidth client API (default 5683)', parse: port('coap-port') },
  { flag: 'coap-bind', key: 'coapBind', arg: 'lan|ADDR', help: "address CoAP binds to; lan: this machine's private LAN address (default lan)", parse: nonEmpty('coap-bind') },
  { flag: 'coap-allow', key: 'coapAllow', arg: 'lan|any', help: 'answer CoAP from LAN addresses only, or from anywhere (default lan)', parse: oneOf('coap-allow', ['lan', 'any'] as const) },
  { flag: 'coap-rate-limit', key: 'coapRateLimit', arg: 'N|off', help: 'CoAP requests per second per source address, bursts of twice that (default 50)', parse: (raw) => (raw === 'off' ? null : positive('coap-rate-limit')(raw)) },
  { flag: 'registration', key: 'registration', arg: 'closed|open|token', help: 'who may register accounts (default closed)', parse: oneOf('registration', ['closed', 'open', 'token'] as const) },
  { flag: 'database', key: 'database', arg: 'URL', help: 'postgres://user:pass@host/db for PostgreSQL (default: SQLite in the data dir)', parse: (raw) => {
    if (raw === '' || raw === 'sqlite') return undefined;
    if (!/^postgres(ql)?:\/\//.test(raw)) throw new ConfigError(`--database must be a postgres:// URL or "sqlite", not "${raw}"`);
    return raw;
  } },
  { flag: 'federation-tls', key: 'federationTls', arg: 'on|off', help: 'serve federation over TLS with a self-signed certificate (default on)', parse: (raw) => oneOf('federation-tls', ['on', 'off'] as const)(raw) === 'on' },
  { flag: 'log-level', key: 'logLevel', arg: 'LEVEL', help: `one of ${LOG_LEVELS.join(', ')} (default info)`, parse: oneOf('log-level', LOG_LEVELS) },
  { flag: 'public-baseurl', key: 'publicBaseurl', arg: 'URL', help: 'client base URL for /.well-known/matrix/client', parse: (raw) => {
    if (!/^https?:\/\/[^\s/]+/.test(raw)) throw new ConfigError(`--public-baseurl must be an http(s) URL, not "${raw}"`);
    return raw.endsWith('/') ? raw : `${raw}/`;
  } },
  { flag: 'well-known-server', key: 'wellKnownServer', arg: 'HOST:PORT|off', help: 'delegated server for /.well-known/matrix/server', parse: (raw) => (raw === 'off' ? null : nonEmpty('well-known-server')(raw)) },
  { flag: 'max-request-size', key: 'maxRequestSize', arg: 'BYTES', help: 'largest JSON request body, e.g. 4M (default 4M)', parse: (raw) => {
    const m = SIZE.exec(raw.trim());
    if (!m) throw new ConfigError(`--max-request-size must be a size like 65536, 512k or 4M, not "${raw}"`);
    const unit = (m[2] ?? '').toLowerCase();
    return Number(m[1]) * (unit.startsWith('k') ? 1024 : unit.startsWith('m') ? 1024 * 1024 : 1);
  } },
  { flag: 'max-upload-size', key: 'maxUploadSize', arg: 'BYTES', help: 'largest media upload, e.g. 50M or 1G (default 50M)', parse: (raw) => {
    const m = /^(\d+)\s*(k|kb|kib|m|mb|mib|g|gb|gib)?$/i.exec(raw.trim());
    if (!m || Number(m[1]) === 0) throw new ConfigError(`--max-upload-size must be a size like 52428800, 512k, 50M or 1G, not "${raw}"`);
    const unit = (m[2] ?? '').toLowerCase().charAt(0);
    return Number(m[1]) * (unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1);
  } },
  { flag: 'allow-guests', key: 'allowGuests', arg: 'on|off', help: 'let clients register guest accounts (default off)', parse: (raw) => oneOf('allow-guests', ['on', 'off'] as const)(raw) === 'on' },
  { flag: 'registration-shared-secret', key: 'registrationSharedSecret', arg: 'SECRET', help: 'enables /_synapse/admin/v1/register (register_new_matrix_user) with this secret (default: off)', parse: nonEmpty('registration-shared-secret') },
  { flag: 'access-token-lifetime', key: 'accessTokenLifetime', arg: 'DURATION', help: 'lifetime of access tokens issued with a refresh token, e.g. 5m (default 5m)', parse: (raw) => {
    const m = DURATION.exec(raw.trim());
    if (!m || Number(m[1]) === 0) throw new ConfigError(`--access-token-lifetime must be a duration like 300s, 5m or 1h, not "${raw}"`);
    return Number(m[1]) * DURATION_MS[m[2] ?? 'ms']!;
  } },
  { flag: 'rate-limit', key: 'rateLimit', arg: 'on|off', help: 'rate limit client requests per user or IP address (default on)', parse: (raw) => oneOf('rate-limit', ['on', 'off'] as const)(raw) === 'on' },
  { flag: 'rate-limit-per-second', key: 'rateLimitPerSecond', arg: 'N', help: 'requests per second each user or address may sustain (default 10)', parse: positive('rate-limit-per-second') },
  { flag: 'rate-limit-burst', key: 'rateLimitBurst', arg: 'N', help: 'requests each user or address may make in a burst (default 50)', parse: positive('rate-limit-burst') },
  { flag: 'x-forwarded', key: 'xForwarded', arg: 'on|off', help: 'behind a reverse proxy: take client addresses (rate limits, last seen) from the X-Forwarded-For header it appends (default off)', parse: (raw) => oneOf('x-forwarded', ['on', 'off'] as const)(raw) === 'on' },
  { flag: 'presence', key: 'presence', arg: 'on|off', help: 'track online/offline presence (default on)', parse: (raw) => oneOf('presence', ['on', 'off'] as const)(raw) === 'on' },
  { flag: 'turn-uris', key: 'turnUris', arg: 'URI,URI', help: 'TURN server URIs for VoIP, comma-separated, e.g. turn:turn.example.org:3478?transport=udp (default: none)', parse: (raw) => {
    const uris = raw.split(',').map((u) => u.trim()).filter((u) => u !== '');
    const bad = uris.find((u) => !/^turns?:\S+$/.test(u));
    if (bad !== undefined) throw new ConfigError(`--turn-uris must be turn: or turns: URIs separated by commas, not "${bad}"`);
    return uris;
  } },
  { flag: 'turn-shared-secret', key: 'turnSharedSecret', arg: 'SECRET', help: "the TURN server's REST API shared secret (coturn static-auth-secret) (default: none)", parse: nonEmpty('turn-shared-secret') },
  { flag: 'turn-ttl', key: 'turnTtl', arg: 'DURATION', help: 'lifetime of TURN credentials: seconds, or a duration like 1h or 1d (default 86400)', parse: (raw) => {
    const m = DURATION.exec(raw.trim());
    if (!m || Number(m[1]) === 0 || m[2] === 'ms') throw new ConfigError(`--turn-ttl must be a number of seconds or a duration like 1h or 1d, not "${raw}"`);
    return Number(m[1]) * DURATION_MS[m[2] ?? 's']! / 1000;
  } },
];

/** Flags every subcommand takes (where the data lives and which server it is). */
export const COMMON_FLAGS = new Set(['data-dir', 'server-name', 'database', 'log-level']);

const isIpLiteral = (host: string) => /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.startsWith('[');

/** Fills in the settings that are derived from others when not given. */
export function withDerivedDefaults(partial: Omit<HubConfig, 'publicBaseurl' | 'wellKnownServer'> & Partial<HubConfig>): HubConfig {
  const host = partial.serverName.replace(/:\d+$/, '');
  const local = host === 'localhost' || isIpLiteral(host);
  const publicBaseurl = partial.publicBaseurl
    ?? (local ? `http://${host}:${partial.clientPort ?? 8008}/` : `https://${partial.serverName}/`);
  const wellKnownServer = partial.wellKnownServer !== undefined
    ? partial.wellKnownServer
    : partial.federationPort === null ? null : `${host}:${partial.federationPort}`;
  return { ...partial, publicBaseurl, wellKnownServer };
}

export const DEFAULTS = {
  dataDir: './hearth-data',
  serverName: 'localhost',
  bind: '0.0.0.0',
  clientPort: 8008,
  federationPort: 8448,
  mqttPort: 1883,
  mqttWsPort: null,
  mqttBroker: undefined,
  mqttBrokerUsername: undefined,
  mqttBrokerPassword: undefined,
  mqttBrokerCa: undefined,
  mqttBrokerCert: undefined,
  mqttBrokerKey: undefined,
  deviceUserPrefix: 'device_',
  deviceDiscovery: 'auto',
  deviceRateLimit: 20,
  deviceRateBurst: 100,
  mqttMaxPayload: 256 * 1024,
  commandTimeout: 10_000,
  coapPort: 5683,
  coapBind: 'lan',
  coapAllow: 'lan',
  coapRateLimit: 50,
  registration: 'closed',
  database: undefined,
  federationTls: true,
  logLevel: 'info',
  maxRequestSize: 4 * 1024 * 1024,
  maxUploadSize: 50 * 1024 * 1024,
  allowGuests: false,
  registrationSharedSecret: undefined,
  accessTokenLifetime: 5 * 60_000,
  rateLimit: true,
  rateLimitPerSecond: 10,
  rateLimitBurst: 50,
  xForwarded: false,
  presence: true,
  turnUris: [],
  turnSharedSecret: undefined,
  turnTtl: 86400,
} as const satisfies Partial<HubConfig>;
