// Declarations of everything the native addon exports, so the compiler checks every use of it.
// The addon's objects are plain data; the typed public API is written in engine.ts on top.

export interface NativeEngineOptions {
  workers: number;
  batchSize: number;
  bufferSize: number;
  socketBufferBytes: number;
  gso: boolean;
  gro: boolean;
  cpus: number[];
  /** 0 = normal scheduling */
  realtimePriority: number;
  /** 0 = sleep in epoll_wait as soon as the sockets are empty */
  busyPollUs: number;
}

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

export interface NativeOutputStats {
  packets: bigint;
  bytes: bigint;
  sendErrors: bigint;
  /** [errno number, count] pairs */
  sendErrorsByErrno: Array<[number, bigint]>;
  lastPacketUnixNs: bigint;
  gsoDatagrams: bigint;
  gsoFallbacks: bigint;
}

export interface NativeRelayStats {
  id: string;
  name: string;
  enabled: boolean;
  packetsIn: bigint;
  bytesIn: bigint;
  rxqDrops: bigint;
  truncated: bigint;
  ttlExpired: bigint;
  notForwardedStandby: bigint;
  heldByFence: bigint;
  lastPacketUnixNs: bigint;
  rcvbufBytes: number;
  /** The relay's interfaces that are down or gone right now (sorted). */
  interfacesDown: string[];
  outputs: NativeOutputStats[];
}

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
  relayStats(id: string): NativeRelayStats | undefined;
  setRole(role: 'active' | 'standby'): void;
  role(): 'active' | 'standby';
  setForwardUntil(monotonicNs: bigint): void;
  clearForwardUntil(): void;
  /** Events dropped because the bounded event queue was full. */
  droppedEvents(): number;
  close(): void;
  closed(): boolean;
}

export interface NativeAddon {
  Engine: typeof NativeEngine;
}
