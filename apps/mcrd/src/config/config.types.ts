// The typed configuration of mcrd, parsed once at start-up from the environment and MCR_CONFIG.
// Every key is named after its environment variable in the configuration table of apps/mcrd/README.md.
import type { RelaySpec } from '@mcr/model';

export type OnStoreLoss = 'standby' | 'keep';
import type { Placement } from '../cluster/leadership-store';
export type { Placement };
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
/** pretty: one readable line per record (the default on a terminal); json: pino's JSON lines. */
export type LogFormat = 'pretty' | 'json';

/** Engine tuning (MCR_ENGINE_*); every default is @mcr/engine's. */
export interface EngineTuning {
  workers: number;
  /** CPUs to pin the workers to, round-robin; [] = the process's affinity. */
  cpus: number[];
  /** SCHED_FIFO priority of the workers; 0 = normal scheduling. */
  realtimePriority: number;
  busyPollUs: number;
  gro: boolean;
  /** Who forwards: worker threads (`socket`), the tc program (`ebpf`), or eBPF where possible (`auto`). */
  datapath: 'socket' | 'ebpf' | 'auto';
}

/** MCR_HTTP_SOCKET: the API on a Unix socket, guarded by its file mode and group. */
export interface HttpSocketConfig {
  path: string;
  /** File mode of the socket (MCR_HTTP_SOCKET_MODE, octal), e.g. 0o660. */
  mode: number;
  /** Group (name or gid) that owns the socket (MCR_HTTP_SOCKET_GROUP); default mcrd's own. */
  group?: string;
}

/** The IGMP/MLD querier (MCR_QUERIER_*); no interfaces = no querier. */
export interface QuerierConfig {
  interfaces: string[];
  intervalS: number;
}

export interface McrdConfig {
  httpHost: string;
  /** 'off' (MCR_HTTP_PORT=off): no TCP listener, the API is on httpSocket only. */
  httpPort: number | 'off';
  httpSocket?: HttpSocketConfig;
  /** Store URL: `file:<path>` or `etcd://...` / `etcds://...`. */
  store: string;
  etcdPrefix: string;
  etcdCa?: string;
  etcdCert?: string;
  etcdKey?: string;
  etcdUser?: string;
  etcdPassword?: string;
  cluster: string;
  nodeId: string;
  leaseTtlS: number;
  onStoreLoss: OnStoreLoss;
  /** MCR_PLACEMENT: one active node forwards every relay (node), or each relay has one owner (relay). */
  placement: Placement;
  /** Raw MCR_INTERFACE_MAP text (parsed by @mcr/model's parseInterfaceMap). */
  interfaceMap?: string;
  apiToken?: string;
  apiTokenRead?: string;
  logLevel: LogLevel;
  logFormat: LogFormat;
  engine: EngineTuning;
  querier: QuerierConfig;
  /** Relays that seed an empty store at first start (the `relays:` section of MCR_CONFIG). */
  seedRelays: RelaySpec[];
}

/** A bad configuration value: the message names the variable (or config-file key) and the value. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}
