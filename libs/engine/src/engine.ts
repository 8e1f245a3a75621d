// Engine: the typed face of MCR's native packet engine. Every call is synchronous and cheap;
// packets never touch the JavaScript thread, and counters are read only when asked for.
import { EventEmitter } from 'node:events';
import { toNativeSpec, toRelayCounters } from './convert';
import { EngineError, fromNativeError } from './errors';
import { loadAddon } from './loader';
import type { NativeAddon, NativeEngine, NativeEvent } from './native';
import type { EngineEvent, EngineOptions, EngineRelaySpec, EngineRole, RelayCounters } from './types';

const DEFAULT_OPTIONS: Required<EngineOptions> = {
  workers: 1,
  batchSize: 64,
  bufferSize: 9216,
  socketBufferBytes: 4 * 1024 * 1024,
};

function checkOptions(options: EngineOptions): Required<EngineOptions> {
  const merged = { ...DEFAULT_OPTIONS, ...options };
  const limits: Record<keyof EngineOptions, [number, number]> = {
    workers: [1, 64],
    batchSize: [1, 1024],
    bufferSize: [64, 65536],
    socketBufferBytes: [4096, 1 << 30],
  };
  for (const key of Object.keys(limits) as Array<keyof EngineOptions>) {
    const [min, max] = limits[key];
    const value = merged[key];
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new EngineError(`options.${key} must be an integer ${min}..${max}, got ${String(value)}`, {
        code: 'ERR_MCR_SPEC',
        field: `options.${key}`,
        value: String(value),
      });
    }
  }
  return merged;
}

export interface EngineEvents {
  event: [EngineEvent];
}

export class Engine extends EventEmitter<EngineEvents> {
  readonly options: Readonly<Required<EngineOptions>>;
  private readonly addon: NativeAddon;
  private readonly native: NativeEngine;

  constructor(options: EngineOptions = {}) {
    super();
    this.options = Object.freeze(checkOptions(options));
    this.addon = loadAddon();
    this.native = new this.addon.Engine(this.options, (event: NativeEvent) => this.emitEvent(event));
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
    const errnoName = this.addon.errnoName;
    return this.call(() => this.native.stats()).map((s) => toRelayCounters(s, errnoName));
  }

  relayStats(id: string): RelayCounters | undefined {
    const native = this.call(() => this.native.relayStats(id));
    return native ? toRelayCounters(native, this.addon.errnoName) : undefined;
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
      throw fromNativeError(error, this.addon.errnoName);
    }
  }

  private emitEvent(native: NativeEvent): void {
    const event: EngineEvent = { type: native.type, message: native.message };
    if (native.relayId) event.relayId = native.relayId;
    if (native.interface) event.interface = native.interface;
    this.emit('event', event);
  }
}
