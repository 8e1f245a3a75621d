// Public types of @mcr/engine: options, counters and events. The Engine class is in engine.ts.
import type { RelaySpec } from '@mcr/model';

export interface EngineOptions {
  /** Forwarding threads; relays are spread across them. Default 1. */
  workers?: number;
  /** Datagrams per recvmmsg/sendmmsg call. Default 64. */
  batchSize?: number;
  /** Bytes per receive slot. Default 9216 (a 9000-byte MTU datagram fits). */
  bufferSize?: number;
  /** Requested SO_RCVBUF/SO_SNDBUF in bytes. Default 4 MiB. */
  socketBufferBytes?: number;
  /**
   * UDP GSO (UDP_SEGMENT) on send: same-size datagrams of a batch leave as one super-datagram the
   * kernel segments. Per output, where the kernel accepts it; a refusal falls back to plain sends
   * on that output (counted in `gsoFallbacks`) and is probed again 10 s later. Default true.
   */
  gso?: boolean;
  /**
   * UDP GRO (UDP_GRO) on the ingress sockets: datagrams the kernel coalesced (from an upstream GSO
   * sender, or an interface with GRO forwarding on) arrive as one buffer and are split again, so
   * the outputs see the original datagrams. Receive slots become 64 KiB each (batchSize x 64 KiB
   * per worker; bufferSize is then ignored). Default false.
   */
  gro?: boolean;
  /**
   * CPUs to pin the workers to, round-robin (worker i on cpus[i % length]). Default [] = the
   * workers keep the process's affinity, so `taskset` on the process keeps working.
   */
  cpus?: number[];
  /** SCHED_FIFO priority 1..99 for the workers (needs CAP_SYS_NICE); default 0 = normal scheduling. */
  realtimePriority?: number;
  /**
   * Busy polling, in microseconds 0..1,000,000: after a wakeup that found datagrams, a worker keeps
   * polling its sockets this long before it sleeps again. While datagrams arrive closer together
   * than that, none waits for a thread wakeup (lower, steadier latency) and the worker's core stays
   * busy. Default 0 = sleep as soon as the sockets are empty.
   */
  busyPollUs?: number;
}

/** A relay as the engine takes it: the public resource shape, optionally with the caller's id. */
export interface EngineRelaySpec extends RelaySpec {
  id?: string;
}

export interface OutputCounters {
  packets: bigint;
  bytes: bigint;
  sendErrors: bigint;
  /** errno name (e.g. "ENETUNREACH") -> datagrams that failed with it. */
  sendErrorsByErrno: Record<string, bigint>;
  /** Wall-clock ms of the last send; null = never. */
  lastPacketAt: number | null;
  /** Of `packets`: datagrams sent inside GSO super-datagrams (UDP_SEGMENT). */
  gsoDatagrams: bigint;
  /** GSO sends the kernel refused on this output; their datagrams went out one by one. */
  gsoFallbacks: bigint;
}

export interface RelayCounters {
  id: string;
  name: string;
  enabled: boolean;
  packetsIn: bigint;
  bytesIn: bigint;
  /** Kernel receive-queue drops (SO_RXQ_OVFL / socket drop count). */
  rxqDrops: bigint;
  /** Datagrams larger than the receive buffer: counted, never forwarded. */
  truncated: bigint;
  /** Dropped by ttl "inherit" outputs (arrived with TTL <= 1). */
  ttlExpired: bigint;
  /** Drained without sending while standby or disabled. */
  notForwardedStandby: bigint;
  /** Drained without sending because the forwardUntil deadline had passed. */
  heldByFence: bigint;
  /** Wall-clock ms of the last received datagram; null = never. */
  lastPacketAt: number | null;
  /** Effective SO_RCVBUF of the ingress socket, bytes. */
  rcvbufBytes: number;
  /**
   * The relay's ingress/output interfaces that are down or gone right now. Non-empty = the relay
   * is waiting for an interface; it resumes by itself when the interface (same name) is back.
   */
  interfacesDown: string[];
  outputs: OutputCounters[];
}

export type EngineRole = 'active' | 'standby';

export interface EngineEvent {
  type: string;
  relayId?: string;
  interface?: string;
  message: string;
}

/** Error thrown for a spec the engine refuses; `field` is a path like "outputs[1].port". */
export interface EngineSpecErrorFields {
  code: 'ERR_MCR_SPEC' | 'ERR_MCR_SYSTEM' | 'ERR_MCR_NOT_FOUND' | 'ERR_MCR_DUPLICATE' | 'ERR_MCR_CLOSED';
  field?: string;
  value?: string;
  errno?: string;
}
