// Engine: the typed face of MCR's native packet engine. Every call is synchronous and cheap;
// packets never touch the JavaScript thread, and counters are read only when asked for.
import { EventEmitter } from 'node:events';
import { toNativeSpec, toRelayCounters } from './convert';
import { EngineError, fromNativeError } from './errors';
import { loadAddon } from './loader';
import type { NativeEngine, NativeEvent } from './native';
import type { EngineEvent, EngineOptions, EngineRelaySpec, EngineRole, RelayCounters } from './types';

const DEFAULT_OPTIONS: Required<EngineOptions> = {
  workers: 1,
  batchSize: 64,
  bufferSize: 9216,
  socketBufferBytes: 4 * 1024 * 1024,
  gso: true,
  gro: false,
  cpus: [],
  realtimePriority: 0,
  busyPollUs: 0,
};

type IntegerOption = 'workers' | 'batchSize' | 'bufferSize' | 'socketBufferBytes' | 'realtimePriority' | 'busyPollUs';

const INTEGER_LIMITS: Record<IntegerOption, [number, number]> = {
  workers: [1, 64],
  batchSize: [1, 1024],
  bufferSize: [64, 65536],
  socketBufferBytes: [4096, 1 << 30],
  realtimePriority: [0, 99],
  busyPollUs: [0, 1_000_000],
};

/** cpu_set_t holds CPUs 0..1023 (CPU_SETSIZE). */
const MAX_CPU = 1023;

function optionError(field: string, value: unknown, expected: string): EngineError {
  return new EngineError(`options.${field} must be ${expected}, got ${String(value)}`, {
    code: 'ERR_MCR_SPEC',
    field: `options.${field}`,
    value: String(value),
  });
}

function checkInteger(field: string, value: unknown, [min, max]: [number, number]): void {
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) {
    throw optionError(field, value, `an integer ${min}..${max}`);
  }
}

function checkOptions(options: EngineOptions): Required<EngineOptions> {
  const merged = { ...DEFAULT_OPTIONS, ...options };
  for (const key of Object.keys(INTEGER_LIMITS) as IntegerOption[]) checkInteger(key, merged[key], INTEGER_LIMITS[key]);
  if (typeof merged.gso !== 'boolean') throw optionError('gso', merged.gso, 'a boolean');
  if (typeof merged.gro !== 'boolean') throw optionError('gro', merged.gro, 'a boolean');
  if (!Array.isArray(merged.cpus)) throw optionError('cpus', merged.cpus, 'an array of CPU numbers');
  merged.cpus.forEach((cpu, i) => checkInteger(`cpus[${i}]`, cpu, [0, MAX_CPU]));
  return { ...merged, cpus: [...merged.cpus] };
}

/** The core names placement options in its own words; the caller wrote them as options.*. */
function toOptionField(error: unknown): unknown {
  if (!(error instanceof EngineError) || error.field === undefined) return error;
  const field = error.field === 'realtime_priority' ? 'realtimePriority' : error.field;
  if (!/^(realtimePriority|cpus\[\d+\])$/.test(field)) return error;
  return new EngineError(error.message, {
    code: error.code,
    field: `options.${field}`,
    value: error.value,
    errno: error.errno,
  });
}

export interface EngineEvents {
  event: [EngineEvent];
}

export class Engine extends EventEmitter<EngineEvents> {
  readonly options: Readonly<Required<EngineOptions>>;
  private readonly native: NativeEngine;

  constructor(options: EngineOptions = {}) {
    super();
    this.options = Object.freeze(checkOptions(options));
    const addon = loadAddon();
    try {
      this.native = new addon.Engine(this.options, (event: NativeEvent) => this.emitEvent(event));
    } catch (error) {
      throw toOptionField(fromNativeError(error));
    }
  }

  /** Opens the relay's sockets and starts forwarding; returns its id. Throws EngineError. */
  addRelay(spec: EngineRelaySpec): string {
    return this.call(() => this.native.addRelay(toNativeSpec(spec)));
  }

  /** Replaces a relay's spec; hitless for the outputs that did not change. */
  updateRelay(id: string, spec: EngineRelaySpec): void {
    this.call(() => this.native.updateRelay(id, toNativeSpec(spec)));
  }

  removeRelay(id: string): void {
    this.call(() => this.native.removeRelay(id));
  }

  relayIds(): string[] {
    return this.call(() => this.native.relayIds());
  }

  stats(): RelayCounters[] {
    return this.call(() => this.native.stats()).map(toRelayCounters);
  }

  relayStats(id: string): RelayCounters | undefined {
    const native = this.call(() => this.native.relayStats(id));
    return native ? toRelayCounters(native) : undefined;
  }

  setRole(role: EngineRole): void {
    if (role !== 'active' && role !== 'standby') {
      throw new EngineError(`role must be 'active' or 'standby', got ${String(role)}`, {
        code: 'ERR_MCR_SPEC',
        field: 'role',
        value: String(role),
      });
    }
    this.call(() => this.native.setRole(role));
  }

  get role(): EngineRole {
    return this.native.role();
  }

  /** Workers stop sending once the monotonic clock (process.hrtime.bigint()) passes this. */
  setForwardUntil(monotonicNs: bigint): void {
    this.call(() => this.native.setForwardUntil(monotonicNs));
  }

  clearForwardUntil(): void {
    this.call(() => this.native.clearForwardUntil());
  }

  /** Events the workers could not queue for JavaScript (bounded queue full); never blocks them. */
  get droppedEvents(): number {
    return this.native.droppedEvents();
  }

  /** Stops the workers and closes every socket; the process may then exit. Idempotent. */
  close(): void {
    this.native.close();
  }

  get closed(): boolean {
    return this.native.closed();
  }

  private call<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      throw fromNativeError(error);
    }
  }

  private emitEvent(native: NativeEvent): void {
    const event: EngineEvent = { type: native.type, message: native.message };
    if (native.relayId) event.relayId = native.relayId;
    if (native.interface) event.interface = native.interface;
    this.emit('event', event);
  }
}
