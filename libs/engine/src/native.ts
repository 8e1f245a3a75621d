// Declarations of everything the native addon exports, so the compiler checks every use of it.
// The addon's objects are plain data; the typed public API is written in engine.ts on top.
import type { QuerierOptions, QuerierSnapshot } from './querier-types';
import type {
  EngineOptionValues,
  ErrnoTableCounterName,
  LegCounterName,
  OutputCounterName,
  RelayCounterName,
} from '@mcr/contract';

/** Every option, defaults filled in; the addon checks types and the contract's ranges. */
export type NativeEngineOptions = EngineOptionValues;

export interface NativeOutputSpec {
  interface: string;
  group: string;
  port: number;
  /** -1 = inherit */
  ttl: number;
  dscp: number;
  source: string;
  onDemand: boolean;
}

export interface NativeIngressSpec {
  interface: string;
  group: string;
  port: number;
  sources: string[];
}

export interface NativeRedundancySpec {
  input: NativeIngressSpec;
  mode: 'merge' | 'failover';
  key: 'rtp' | 'payload';
  windowMs: number;
  lossMs: number;
  revertMs: number;
}

export interface NativeRelaySpec {
  id: string;
  name: string;
  enabled: boolean;
  input: NativeIngressSpec;
  outputs: NativeOutputSpec[];
  /** null = a plain relay with one ingress. */
  redundancy: NativeRedundancySpec | null;
  analyze: 'auto' | 'rtp' | 'ts' | 'off';
}

/** One bigint per contract counter; errno tables also as `<name>ByErrno`: [errno number, count] pairs. */
type NativeCounts<Name extends string> = Record<Name, bigint> &
  Record<`${ErrnoTableCounterName & Name}ByErrno`, Array<[number, bigint]>>;

export type NativeOutputStats = NativeCounts<OutputCounterName> & {
  lastPacketUnixNs: bigint;
};

export type NativeLegStats = Record<LegCounterName, bigint> & {
  /** ms since the leg's last datagram; -1 = never received. */
  silentForMs: number;
};

export type NativeRelayStats = NativeCounts<RelayCounterName> & {
  id: string;
  name: string;
  enabled: boolean;
  lastPacketUnixNs: bigint;
  rcvbufBytes: number;
  /** The relay's interfaces that are down or gone right now (sorted). */
  interfacesDown: string[];
  datapath: 'socket' | 'ebpf';
  /** Why the relay is not on eBPF; "" when it is, or when sockets were chosen. */
  datapathReason: string;
  outputs: NativeOutputStats[];
  /** Input legs of a redundant relay (input, then redundancy.input); empty for a plain relay. */
  legs: NativeLegStats[];
  /** failover: the leg being forwarded (0 = input, 1 = redundancy.input); -1 otherwise. */
  activeLeg: number;
};

export interface NativeEvent {
  type: string;
  relayId: string;
  interface: string;
  message: string;
}

/** Errors thrown by the addon carry these properties (set in binding/errors.cc). */
export interface NativeErrorProps {
  code: string;
  field?: string;
  value?: string;
  errno?: number;
}

export declare class NativeEngine {
  constructor(options: NativeEngineOptions, onEvent: (event: NativeEvent) => void);
  addRelay(spec: NativeRelaySpec): string;
  updateRelay(id: string, spec: NativeRelaySpec): void;
  removeRelay(id: string): void;
  relayIds(): string[];
  stats(): NativeRelayStats[];
  inputCounts(): { ids: string[]; packetsIn: Float64Array };
  relayStats(id: string): NativeRelayStats | undefined;
  setRole(role: 'active' | 'standby'): void;
  role(): 'active' | 'standby';
  setRelayOwned(id: string, owned: boolean): void;
  setNewRelaysOwned(owned: boolean): void;
  setForwardUntil(monotonicNs: bigint): void;
  clearForwardUntil(): void;
  /** Events dropped because the bounded event queue was full. */
  droppedEvents(): number;
  close(): void;
  closed(): boolean;
  startQuerier(options: QuerierOptions): void;
  querier(): QuerierSnapshot | undefined;
}

export interface NativeAddon {
  Engine: typeof NativeEngine;
  /** flock(fd, LOCK_EX | LOCK_NB): true when taken, false when another open file holds it. */
  tryLockExclusive(fd: number): boolean;
}
