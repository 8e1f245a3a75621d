// Builds McrdConfig from the environment and the optional MCR_CONFIG file (YAML or JSON).
// Environment overrides file; any unknown key or bad value stops start-up naming the key.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { engineOption, nodeName, querier as querierContract, relaySpec, type EngineOptionName } from '@mcr/contract';
import { parseInterfaceMap, parseRulesFile, RulesFileError, type RelaySpec } from '@mcr/model';
import {
  ConfigError,
  type EngineTuning,
  type HttpSocketConfig,
  type LogFormat,
  type LogLevel,
  type McrdConfig,
  type OnStoreLoss,
  type Placement,
} from './config.types';

/** Every configuration key, in the environment and in MCR_CONFIG. */
export const CONFIG_KEYS = [
  'MCR_HTTP_HOST',
  'MCR_HTTP_PORT',
  'MCR_HTTP_SOCKET',
  'MCR_HTTP_SOCKET_MODE',
  'MCR_HTTP_SOCKET_GROUP',
  'MCR_STORE',
  'MCR_ETCD_PREFIX',
  'MCR_ETCD_CA',
  'MCR_ETCD_CERT',
  'MCR_ETCD_KEY',
  'MCR_ETCD_USER',
  'MCR_ETCD_PASSWORD',
  'MCR_CLUSTER',
  'MCR_NODE_ID',
  'MCR_LEASE_TTL_S',
  'MCR_ON_STORE_LOSS',
  'MCR_PLACEMENT',
  'MCR_INTERFACE_MAP',
  'MCR_API_TOKEN',
  'MCR_API_TOKEN_READ',
  'MCR_LOG_LEVEL',
  'MCR_LOG_FORMAT',
  'MCR_ENGINE_WORKERS',
  'MCR_ENGINE_CPUS',
  'MCR_ENGINE_REALTIME_PRIORITY',
  'MCR_ENGINE_BUSY_POLL_US',
  'MCR_ENGINE_GRO',
  'MCR_ENGINE_DATAPATH',
  'MCR_QUERIER_INTERFACES',
  'MCR_QUERIER_INTERVAL_S',
] as const;
type Key = (typeof CONFIG_KEYS)[number];
const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const LOG_FORMATS: readonly LogFormat[] = ['pretty', 'json'];

type FieldReader = <T>(key: Key, fallback: T, parse: (text: string) => T | Invalid) => T;

/** A rejected value; `reason` completes the sentence "MCR_X <reason>, got 'value'". */
class Invalid {
  constructor(readonly reason: string) {}
}

interface Sources {
  values: Partial<Record<Key, string>>;
  /** Where each value came from, for error messages. */
  origin: Partial<Record<Key, string>>;
  relays: unknown;
}

export interface ConfigEnvironment {
  env: NodeJS.ProcessEnv;
  readFile?: (path: string) => string;
  hostname?: () => string;
  /** Whether the log goes to a terminal: MCR_LOG_FORMAT is then pretty by default, else json. */
  logToTerminal?: boolean;
}

export function loadConfig({
  env,
  readFile = (p) => readFileSync(p, 'utf8'),
  hostname: host = hostname,
  logToTerminal = false,
}: ConfigEnvironment): McrdConfig {
  const sources = mergeSources(env, readFile);
  const errors: string[] = [];
  const field: FieldReader = (key, fallback, parse) => {
    const text = sources.values[key];
    if (text === undefined) return fallback;
    const parsed = parse(text);
    if (parsed instanceof Invalid) {
      const shown = key.includes('TOKEN') || key.includes('PASSWORD') ? '(hidden)' : `'${text}'`;
      errors.push(`${key}${sources.origin[key] ?? ''} ${parsed.reason}, got ${shown}`);
      return fallback;
    }
    return parsed;
  };
  const optional = (key: Key): string | undefined => field<string | undefined>(key, undefined, nonEmpty);
  const config: McrdConfig = {
    httpHost: field('MCR_HTTP_HOST', '127.0.0.1', nonEmpty),
    httpPort: field<number | 'off'>('MCR_HTTP_PORT', 8080, portOrOff),
    httpSocket: httpSocket(field, errors, (key) => sources.values[key] !== undefined),
    store: field('MCR_STORE', 'file:./data/relays.json', storeUrl),
    etcdPrefix: field('MCR_ETCD_PREFIX', '/mcr', (t) => (t.startsWith('/') ? t : new Invalid('must start with /'))),
    etcdCa: optional('MCR_ETCD_CA'),
    etcdCert: optional('MCR_ETCD_CERT'),
    etcdKey: optional('MCR_ETCD_KEY'),
    etcdUser: optional('MCR_ETCD_USER'),
    etcdPassword: optional('MCR_ETCD_PASSWORD'),
    cluster: field('MCR_CLUSTER', 'default', name),
    nodeId: field('MCR_NODE_ID', host(), name),
    leaseTtlS: field('MCR_LEASE_TTL_S', 3, integerIn(1, 3600)),
    onStoreLoss: field<OnStoreLoss>('MCR_ON_STORE_LOSS', 'standby', oneOf(['standby', 'keep'])),
    placement: field<Placement>('MCR_PLACEMENT', 'node', oneOf(['node', 'relay'])),
    interfaceMap: field<string | undefined>('MCR_INTERFACE_MAP', undefined, interfaceMap),
    apiToken: field<string | undefined>('MCR_API_TOKEN', undefined, bearerToken),
    apiTokenRead: field<string | undefined>('MCR_API_TOKEN_READ', undefined, bearerToken),
    logLevel: field<LogLevel>('MCR_LOG_LEVEL', 'info', oneOf(LOG_LEVELS)),
    logFormat: field<LogFormat>('MCR_LOG_FORMAT', logToTerminal ? 'pretty' : 'json', oneOf(LOG_FORMATS)),
    // Variables, defaults and ranges are the engine options' own (@mcr/contract).
    engine: {
      workers: engineInteger(field, 'workers'),
      cpus: field(engineVariable('cpus'), [], cpuList),
      realtimePriority: engineInteger(field, 'realtimePriority'),
      busyPollUs: engineInteger(field, 'busyPollUs'),
      gro: field(engineVariable('gro'), engineOption('gro').default as boolean, onOff),
      datapath: field(
        engineVariable('datapath'),
        engineOption('datapath').default as EngineTuning['datapath'],
        oneOf(engineOption('datapath').choices as EngineTuning['datapath'][]),
      ),
    },
    querier: {
      interfaces: field('MCR_QUERIER_INTERFACES', [], interfaceList),
      intervalS: field(
        'MCR_QUERIER_INTERVAL_S',
        querierContract.intervalS.default as number,
        integerIn(querierContract.intervalS.min, querierContract.intervalS.max),
      ),
    },
    seedRelays: [],
  };
  if (config.httpPort === 'off' && sources.values.MCR_HTTP_SOCKET === undefined) {
    errors.push('MCR_HTTP_PORT is off and MCR_HTTP_SOCKET is not set: the API would be unreachable');
  }
  config.seedRelays = seedRelays(sources.relays, env.MCR_CONFIG, errors);
  errors.push(...placementConflicts(config));
  if (errors.length > 0) throw new ConfigError(`invalid configuration:\n  ${errors.join('\n  ')}`);
  return config;
}

/** Relay placement needs a shared store, and fences: a relay owner that kept forwarding would duplicate. */
function placementConflicts(config: McrdConfig): string[] {
  if (config.placement !== 'relay') return [];
  const conflicts: string[] = [];
  if (config.store.startsWith('file:'))
    conflicts.push(`MCR_PLACEMENT=relay needs an etcd store (MCR_STORE=etcd://...), got '${config.store}'`);
  if (config.onStoreLoss === 'keep')
    conflicts.push(
      'MCR_PLACEMENT=relay needs MCR_ON_STORE_LOSS=standby: with keep, an owner cut off from etcd would forward next to the node that took its relays',
    );
  return conflicts;
}

function mergeSources(env: NodeJS.ProcessEnv, readFile: (path: string) => string): Sources {
  const sources: Sources = { values: {}, origin: {}, relays: undefined };
  const path = env.MCR_CONFIG;
  if (path !== undefined && path !== '') {
    const file = readConfigFile(path, readFile);
    for (const [key, value] of Object.entries(file)) {
      if (key === 'relays') {
        sources.relays = value;
        continue;
      }
      if (!(CONFIG_KEYS as readonly string[]).includes(key)) {
        throw new ConfigError(
          `MCR_CONFIG ${path}: unknown key '${key}' (known keys: ${CONFIG_KEYS.join(', ')}, relays)`,
        );
      }
      if (value === null || typeof value === 'object') {
        throw new ConfigError(
          `MCR_CONFIG ${path}: key '${key}' must be a string, number or boolean, got ${JSON.stringify(value)}`,
        );
      }
      sources.values[key as Key] = String(value);
      sources.origin[key as Key] = ` (from ${path})`;
    }
  }
  for (const key of CONFIG_KEYS) {
    const value = env[key];
    if (value !== undefined && value !== '') {
      sources.values[key] = value;
      delete sources.origin[key];
    }
  }
  return sources;
}

function readConfigFile(path: string, readFile: (path: string) => string): Record<string, unknown> {
  let text: string;
  try {
    text = readFile(path);
  } catch (err) {
    throw new ConfigError(`MCR_CONFIG ${path} cannot be read: ${(err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = extname(path).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new ConfigError(
      `MCR_CONFIG ${path} is not valid ${extname(path) === '.json' ? 'JSON' : 'YAML'}: ${(err as Error).message}`,
    );
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError(`MCR_CONFIG ${path} must contain a mapping of keys to values`);
  }
  return parsed as Record<string, unknown>;
}

function seedRelays(relays: unknown, path: string | undefined, errors: string[]): RelaySpec[] {
  if (relays === undefined || relays === null) return [];
  if (!Array.isArray(relays)) {
    errors.push(`relays (from ${path}) must be a list of relays`);
    return [];
  }
  try {
    return parseRulesFile(JSON.stringify({ rules: relays })).rules;
  } catch (err) {
    if (!(err instanceof RulesFileError)) throw err;
    for (const message of err.messages) errors.push(`${message.replace(/^rules\[/, 'relays[')} (from ${path})`);
    return [];
  }
}

const nonEmpty = (text: string): string | Invalid => (text.trim() === '' ? new Invalid('must not be empty') : text);

/**
 * A token clients can send: `Authorization: Bearer <token>` carries one word of visible ASCII, so a
 * token with a space, a control or a non-ASCII character could never match (RFC 6750 2.1).
 */
const bearerToken = (text: string): string | Invalid => {
  if (text.trim() === '') return new Invalid('must not be empty');
  if (/\s/.test(text)) return new Invalid('must not contain whitespace (a bearer token is one word)');
  if (!/^[\x21-\x7e]+$/.test(text)) {
    return new Invalid('must be visible ASCII characters only (it travels in an Authorization header)');
  }
  return text;
};

const NODE_NAME = new RegExp(nodeName.pattern);

const name = (text: string): string | Invalid =>
  NODE_NAME.test(text) ? text : new Invalid(`must be ${nodeName.rule}`);

const portOrOff = (text: string): number | 'off' | Invalid => {
  if (text === 'off') return 'off';
  const port = integerIn(0, 65535)(text);
  return port instanceof Invalid ? new Invalid('must be an integer 0..65535, or off (with MCR_HTTP_SOCKET)') : port;
};

/** MCR_HTTP_SOCKET and its mode and group; the mode and group alone are a mistake worth naming. */
function httpSocket(field: FieldReader, errors: string[], isSet: (key: Key) => boolean): HttpSocketConfig | undefined {
  const path = field<string | undefined>('MCR_HTTP_SOCKET', undefined, absolutePath);
  const mode = field('MCR_HTTP_SOCKET_MODE', 0o660, socketMode);
  const group = field<string | undefined>('MCR_HTTP_SOCKET_GROUP', undefined, groupName);
  if (path !== undefined) return { path, mode, ...(group === undefined ? {} : { group }) };
  if (isSet('MCR_HTTP_SOCKET')) return undefined; // set but invalid: already named
  for (const key of ['MCR_HTTP_SOCKET_MODE', 'MCR_HTTP_SOCKET_GROUP'] as const) {
    if (isSet(key)) errors.push(`${key} is set but MCR_HTTP_SOCKET is not: set the socket's path too`);
  }
  return undefined;
}

const absolutePath = (text: string): string | Invalid =>
  text.startsWith('/') && !text.includes('\0')
    ? text
    : new Invalid('must be an absolute path (e.g. /run/mcr/mcrd.sock)');

/** Octal, as chmod takes it; never executable bits (meaningless on a socket), never world-writable by accident. */
const socketMode = (text: string): number | Invalid => {
  if (!/^0?[0-7]{3}$/.test(text)) return new Invalid('must be an octal file mode such as 0660');
  const mode = parseInt(text, 8);
  return (mode & 0o111) === 0
    ? mode
    : new Invalid('must not have execute bits (read and write are what a socket uses)');
};

/** A group name as useradd takes it, or a numeric gid. */
const groupName = (text: string): string | Invalid =>
  /^(\d+|[a-z_][a-z0-9_-]*\$?)$/i.test(text) && text.length <= 32
    ? text
    : new Invalid('must be a group name or a numeric gid');

function integerIn(min: number, max: number): (text: string) => number | Invalid {
  return (text) => {
    const value = Number(text);
    return /^\d+$/.test(text) && value >= min && value <= max
      ? value
      : new Invalid(`must be an integer ${min}..${max}`);
  };
}

function oneOf<T extends string>(allowed: readonly T[]): (text: string) => T | Invalid {
  return (text) =>
    (allowed as readonly string[]).includes(text) ? (text as T) : new Invalid(`must be one of ${allowed.join(', ')}`);
}

/** The MCR_ENGINE_* variable the contract gives an engine option (one of CONFIG_KEYS). */
function engineVariable(name: EngineOptionName): Key {
  const variable = engineOption(name).environment;
  if (variable === undefined || !(CONFIG_KEYS as readonly string[]).includes(variable)) {
    throw new Error(`engine option ${name}: @mcr/contract gives it no MCR_ENGINE_* variable of CONFIG_KEYS`);
  }
  return variable as Key;
}

function engineInteger(field: FieldReader, name: EngineOptionName): number {
  const { min, max, default: fallback } = engineOption(name);
  return field(engineVariable(name), fallback as number, integerIn(min as number, max as number));
}

/** `2,3` or `2-5` or a mix: the CPUs to pin the engine's workers to. */
function cpuList(text: string): number[] | Invalid {
  const { min, max } = engineOption('cpus') as { min: number; max: number };
  const cpus: number[] = [];
  for (const part of text.split(',').map((p) => p.trim())) {
    const range = /^(\d+)(?:-(\d+))?$/.exec(part);
    const first = Number(range?.[1]);
    const last = range?.[2] === undefined ? first : Number(range[2]);
    if (range === null || first < min || last < first || last > max)
      return new Invalid(`must be CPU numbers ${min}..${max}, e.g. 2,3 or 2-5`);
    for (let cpu = first; cpu <= last; cpu += 1) cpus.push(cpu);
  }
  return cpus;
}

function onOff(text: string): boolean | Invalid {
  if (['on', 'true', '1'].includes(text)) return true;
  if (['off', 'false', '0'].includes(text)) return false;
  return new Invalid('must be on or off');
}

function storeUrl(text: string): string | Invalid {
  return /^(file:.+|etcds?:\/\/.+)$/.test(text)
    ? text
    : new Invalid('must be file:<path> or etcd://host:port[,host:port...] (etcds:// for TLS)');
}

function interfaceMap(text: string): string | Invalid {
  try {
    parseInterfaceMap(text);
    return text;
  } catch (err) {
    return new Invalid(`is not a valid interface map (${(err as Error).message})`);
  }
}

/** `eth1,eth2`: the interfaces the IGMP/MLD querier serves; each name once, Linux's rules. */
function interfaceList(text: string): string[] | Invalid {
  const names = text.split(',').map((part) => part.trim());
  const { maxInterfaces } = querierContract.interfaces;
  if (names.length > maxInterfaces) return new Invalid(`must name at most ${maxInterfaces} interfaces`);
  const bad = names.find((n) => n === '' || n.length > relaySpec.interfaceName.maxChars || /[/:\s]/.test(n));
  if (bad !== undefined)
    return new Invalid(`must be interface names separated by commas, each ${relaySpec.interfaceName.rule}`);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) return new Invalid(`must name each interface once ('${twice}' appears twice)`);
  return names;
}
