// Declarations of everything the native addon exports, so the compiler checks every use of it.
// The addon's objects are plain data; the typed public API is written in engine.ts on top.
import type { EngineOptionValues, ErrnoTableCounterName, OutputCounterName, RelayCounterName } from '@mcr/contract';

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
}

export interface NativeRelaySpec {
  id: string;
  name: string;
  enabled: boolean;
  input: { interface: string; group: string; port: number; sources: string[] };
  outputs: NativeOutputSpec[];
}

/** One bigint per contract counter; errno tables also as `<name>ByErrno`: [errno number, count] pairs. */
type NativeCounts<Name extends string> = Record<Name, bigint> &
  Record<`${ErrnoTableCounterName & Name}ByErrno`, Array<[number, bigint]>>;

export type NativeOutputStats = NativeCounts<OutputCounterName> & {
  lastPacketUnixNs: bigint;
};

export type NativeRelayStats = NativeCounts<RelayCounterName> & {
  id: string;
  name: string;
  enabled: boolean;
  lastPacketUnixNs: bigint;
  rcvbufBytes: number;
  /** The relay's interfaces that are down or gone right now (sorted). */
  interfacesDown: string[];
  outputs: NativeOutputStats[];
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
}

export interface NativeAddon {
  Engine: typeof NativeEngine;
  /** flock(fd, LOCK_EX | LOCK_NB): true when taken, false when another open file holds it. */
  tryLockExclusive(fd: number): boolean;
}
