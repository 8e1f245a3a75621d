// Public types of @mcr/engine: options, counters and events. The Engine class is in engine.ts.
import type {
  EngineErrorCode,
  EngineOptionValues,
  ErrnoTableCounterName,
  LegCounterName,
  OutputCounterName,
  RelayCounterName,
} from '@mcr/contract';
import type { RelaySpec } from '@mcr/model';

/**
 * Options of `new Engine(options)`, every one optional: workers, batchSize, bufferSize,
 * socketBufferBytes, gso, gro, cpus, realtimePriority, busyPollUs, datapath. Their meaning, unit, range and
 * default are declared in @mcr/contract (engineOptions); a value outside its range throws
 * EngineError ERR_MCR_OPTION naming the option (`bufferSize: must be an integer 1..65535, got 65536`).
 */
export type EngineOptions = Partial<EngineOptionValues>;

/** A relay as the engine takes it: the public resource shape, optionally with the caller's id. */
export interface EngineRelaySpec extends RelaySpec {
  id?: string;
}

/**
 * One bigint per contract counter (@mcr/contract `counters`: name, unit and help of each); an
 * errno-table counter also as `<name>ByErrno`: errno name ("ENETUNREACH", "OTHER") -> count.
 */
type Counts<Name extends string> = Record<Name, bigint> &
  Record<`${ErrnoTableCounterName & Name}ByErrno`, Record<string, bigint>>;

export type OutputCounters = Counts<OutputCounterName> & {
  /** Wall-clock ms of the last send; null = never. */
  lastPacketAt: number | null;
};

/** One input leg of a redundant relay (@mcr/contract counters of scope `leg`). */
export type LegCounters = Record<LegCounterName, bigint> & {
  /** ms since the leg's last datagram; null = never received. */
  silentForMs: number | null;
};

export type RelayCounters = Counts<RelayCounterName> & {
  id: string;
  name: string;
  enabled: boolean;
  /** Wall-clock ms of the last received datagram; null = never. */
  lastPacketAt: number | null;
  /** Effective SO_RCVBUF of the ingress socket, bytes. */
  rcvbufBytes: number;
  /**
   * The relay's ingress/output interfaces that are down or gone right now. Non-empty = the relay
   * is waiting for an interface; it resumes by itself when the interface (same name) is back.
   */
  interfacesDown: string[];
  /** Who forwards the relay now: the worker threads (`socket`) or the tc program (`ebpf`). */
  datapath: 'socket' | 'ebpf';
  /**
   * Present when the engine was asked for eBPF (datapath `ebpf` or `auto`) and the relay runs on
   * sockets: why ("outputs[0].group: unicast destinations need the neighbour's MAC; ...").
   */
  datapathReason?: string;
  outputs: OutputCounters[];
  /** Input legs of a relay with `redundancy`: [input, redundancy.input]; empty for a plain relay. */
  legs: LegCounters[];
  /** failover mode: the leg being forwarded (0 = input, 1 = redundancy.input); null otherwise. */
  activeLeg: number | null;
};

export type EngineRole = 'active' | 'standby';

/** Every relay's received-datagram count (packetsIn), in the same order as `ids`: cheap to poll often. */
export interface InputCounts {
  ids: string[];
  /** Exact up to 2^53 datagrams. */
  packetsIn: Float64Array;
}

export interface EngineEvent {
  type: string;
  relayId?: string;
  interface?: string;
  message: string;
}

/**
 * What an EngineError carries: a contract error code (@mcr/contract `errors`), and `field` as the
 * caller wrote it: a spec path like "outputs[1].port" or an option like "bufferSize".
 */
export interface EngineSpecErrorFields {
  code: EngineErrorCode;
  field?: string;
  value?: string;
  errno?: string;
}
