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
