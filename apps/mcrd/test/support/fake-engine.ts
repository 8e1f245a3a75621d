// An in-memory stand-in for @mcr/engine's Engine that enforces the same contract (duplicate
// ids, unknown ids, closed engine) and throws on any misuse, so a test fails on unexpected calls.
import { EventEmitter } from 'node:events';
import type {
  EngineRelaySpec,
  EngineRole,
  InputCounts,
  QuerierOptions,
  QuerierSnapshot,
  RelayCounters,
} from '@mcr/engine';
import type { RelayEngine } from '../../src/engine/relay-engine';
import { zeroOutputCounters, zeroRelayCounters } from './zero-counters';

export class FakeEngineError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly value?: string,
    readonly errno?: string,
  ) {
    super(message);
  }
}

export class FakeEngine extends EventEmitter implements RelayEngine {
  readonly relays = new Map<string, EngineRelaySpec>();
  readonly counters = new Map<string, Partial<RelayCounters>>();
  readonly calls: string[] = [];
  /** Interfaces this fake "host" lacks: addRelay/updateRelay refuse them like the real engine. */
  readonly missingInterfaces = new Set<string>();
  /** Out of file descriptors: addRelay/updateRelay fail with EMFILE like the real engine then. */
  descriptorsExhausted = false;
  role: EngineRole = 'active';
  closed = false;

  addRelay(spec: EngineRelaySpec): string {
    this.use('add');
    const id = spec.id ?? `engine-${this.relays.size + 1}`;
    if (this.relays.has(id)) throw new FakeEngineError('ERR_MCR_DUPLICATE', `relay ${id} already exists`);
    this.refuseWhenExhausted(spec);
    this.refuseMissing(spec);
    this.relays.set(id, structuredClone({ ...spec, id }));
    return id;
  }

  updateRelay(id: string, spec: EngineRelaySpec): void {
    this.use('update');
    if (!this.relays.has(id)) throw new FakeEngineError('ERR_MCR_NOT_FOUND', `relay ${id} not found`);
    this.refuseWhenExhausted(spec);
    this.refuseMissing(spec);
    this.relays.set(id, structuredClone({ ...spec, id }));
  }

  removeRelay(id: string): void {
    this.use('remove');
    if (!this.relays.delete(id)) throw new FakeEngineError('ERR_MCR_NOT_FOUND', `relay ${id} not found`);
  }

  relayIds(): string[] {
    this.use();
    return [...this.relays.keys()];
  }

  stats(): RelayCounters[] {
    this.use();
    return [...this.relays.keys()].map((id) => this.relayStats(id) as RelayCounters);
  }

  inputCounts(): InputCounts {
    const all = this.stats();
    return { ids: all.map((relay) => relay.id), packetsIn: Float64Array.from(all, (relay) => Number(relay.packetsIn)) };
  }

  relayStats(id: string): RelayCounters | undefined {
    this.use();
    const spec = this.relays.get(id);
    if (spec === undefined) return undefined;
    return zeroRelayCounters({
      id,
      name: spec.name,
      enabled: spec.enabled ?? true,
      rcvbufBytes: 8388608,
      outputs: spec.outputs.map(() => zeroOutputCounters()),
      ...this.counters.get(id),
    });
  }

  setRole(role: EngineRole): void {
    this.use('setRole');
    this.role = role;
  }

  /** The fencing deadline last set (undefined: none), as the real engine would hold it. */
  forwardUntil: bigint | undefined;
  /** Relays this fake does not forward (MCR_PLACEMENT=relay), and whether new ones start so. */
  readonly unowned = new Set<string>();
  newRelaysOwned = true;

  setRelayOwned(id: string, owned: boolean): void {
    this.use();
    if (owned) this.unowned.delete(id);
    else this.unowned.add(id);
  }

  setNewRelaysOwned(owned: boolean): void {
    this.use();
    this.newRelaysOwned = owned;
  }

  setForwardUntil(monotonicNs: bigint): void {
    this.use();
    this.forwardUntil = monotonicNs;
  }

  clearForwardUntil(): void {
    this.use();
    this.forwardUntil = undefined;
  }

  /** What startQuerier was given; the snapshot querier() returns is the test's to set. */
  querierOptions?: QuerierOptions;
  querierSnapshot?: QuerierSnapshot;
  /** startQuerier throws this, as the real engine does without CAP_NET_RAW. */
  querierFailure?: Error;

  startQuerier(options: QuerierOptions): void {
    this.use('startQuerier');
    if (this.querierFailure) throw this.querierFailure;
    this.querierOptions = options;
  }

  querier(): QuerierSnapshot | undefined {
    return this.querierOptions ? this.querierSnapshot : undefined;
  }

  close(): void {
    this.use('close');
    this.closed = true;
  }

  private use(call?: string): void {
    if (this.closed) throw new FakeEngineError('ERR_MCR_CLOSED', 'engine is closed');
    if (call !== undefined) this.calls.push(call);
  }

  /** The real engine's refusal when the first lookup of a relay finds no descriptor left. */
  private refuseWhenExhausted(spec: EngineRelaySpec): void {
    if (!this.descriptorsExhausted) return;
    throw new FakeEngineError(
      'ERR_MCR_SYSTEM',
      `input.interface: cannot look up interface '${spec.input.interface}' (Too many open files)`,
      'input.interface',
      undefined,
      'EMFILE',
    );
  }

  private refuseMissing(spec: EngineRelaySpec): void {
    const names = [
      ['input.interface', spec.input.interface],
      ...spec.outputs.map((o, i) => [`outputs[${i}].interface`, o.interface]),
    ];
    for (const [field, name] of names) {
      if (this.missingInterfaces.has(name)) {
        throw new FakeEngineError('ERR_MCR_SYSTEM', `${field} '${name}': no such interface on this host`, field, name);
      }
    }
  }
}
