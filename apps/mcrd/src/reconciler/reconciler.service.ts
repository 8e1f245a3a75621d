// Makes the engine match the store: a full diff at start-up (and after a watch compaction),
// then one relay at a time from the store's watch. Idempotent; never leaves a stale relay running.
//
// Rule for engine failures (e.g. an interface that does not exist on this host): the store is
// the desired state of the whole cluster, so the reconciler never rewrites it. A relay the
// engine refuses is removed from the engine (no stale config keeps forwarding), reported as
// state `failed` with the engine's reason (stats, /metrics, logs), and retried every
// RETRY_FAILED_MS, so it starts once the interface appears. With the embedded file store the
// API additionally refuses unknown interfaces before writing (see RelaysService).
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Relay } from '@mcr/model';
import { RevisionCompactedError, type RelayChange, type RelayStore } from '@mcr/store';
import type { EngineEvent, EngineRelaySpec, RelayCounters } from '@mcr/engine';
import { InterfaceMapper } from '../engine/interface-mapper';
import { asEngineFailure, type RelayEngine } from '../engine/relay-engine';
import { RELAY_ENGINE, RELAY_STORE } from '../tokens';
import { descriptorBudgetLine, isDescriptorErrno, readOpenFilesLimit } from './descriptor-budget';
import { engineEventLine } from './engine-event-log';
import { readRmemMax, receiveBufferLine, requestedSocketBufferBytes } from './receive-buffer-report';
import { relayStatus, type RelayStatus } from './relay-state';

const RETRY_FAILED_MS = 5_000;
const RETRY_LIST_MS = 1_000;

/** Why the engine refused a relay: its message, and the symbolic errno of a system refusal. */
interface Failure {
  reason: string;
  errno?: string;
}

/** Relays the engine refused because the process has no file descriptor left. */
export interface DescriptorShortage {
  relays: number;
  errno: string;
}

@Injectable()
export class Reconciler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(Reconciler.name);
  private readonly desired = new Map<string, Relay>();
  /** id -> JSON of the spec the engine runs now. */
  private readonly applied = new Map<string, string>();
  private readonly failures = new Map<string, Failure>();
  private readonly waiters = new Set<{ revision: number; resolve: () => void }>();
  private revision = 0;
  /** Revision of the last full list; the watch replays only what came after it. */
  private listedRevision = 0;
  private ready = false;
  private stopped = false;
  private stopWatch?: () => void;
  private retryTimer?: NodeJS.Timeout;

  constructor(
    @Inject(RELAY_STORE) private readonly store: RelayStore,
    @Inject(RELAY_ENGINE) private readonly engine: RelayEngine,
    private readonly mapper: InterfaceMapper,
  ) {}

  onApplicationBootstrap(): void {
    this.engine.on('event', this.onEngineEvent);
    // Not awaited: HTTP comes up at once and /readyz reports when the first reconcile is done.
    void this.syncFromList();
    this.retryTimer = setInterval(() => this.retryFailed(), RETRY_FAILED_MS).unref();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    this.engine.off('event', this.onEngineEvent);
    this.stopWatch?.();
    clearInterval(this.retryTimer);
    for (const waiter of this.waiters) waiter.resolve();
    this.waiters.clear();
  }

  /** True once the first full reconcile has been applied to the engine. */
  get isReady(): boolean {
    return this.ready;
  }

  get appliedRevision(): number {
    return this.revision;
  }

  /**
   * What this node does with relay `id`. `counters` is the engine's snapshot of the relay when
   * the caller already holds one (saves a second read); otherwise the engine is asked.
   */
  status(id: string, counters?: Pick<RelayCounters, 'interfacesDown'>): RelayStatus | undefined {
    const relay = this.desired.get(id);
    if (relay === undefined) return undefined;
    const running = counters ?? (this.engine.closed || !this.applied.has(id) ? undefined : this.engine.relayStats(id));
    return relayStatus({
      failure: this.failures.get(id)?.reason,
      applied: this.applied.has(id),
      enabled: relay.enabled,
      role: this.engine.role,
      interfacesDown: running?.interfacesDown ?? [],
    });
  }

  /** The stored relays as this node last saw them, by id (read-only: metrics labels). */
  storedRelays(): ReadonlyMap<string, Relay> {
    return this.desired;
  }

  /** Every stored relay's status from one engine snapshot (one scrape, one read). */
  statuses(): Map<string, RelayStatus> {
    const counters = new Map((this.engine.closed ? [] : this.engine.stats()).map((c) => [c.id, c]));
    const all = new Map<string, RelayStatus>();
    for (const id of this.desired.keys())
      all.set(id, this.status(id, counters.get(id) ?? { interfacesDown: [] }) as RelayStatus);
    return all;
  }

  /**
   * Relays that failed because no file descriptor was left (EMFILE, ENFILE): such a node cannot
   * open sockets and is not healthy. Undefined when none did.
   */
  descriptorShortage(): DescriptorShortage | undefined {
    const short = [...this.failures.values()].filter((failure) => isDescriptorErrno(failure.errno));
    return short.length === 0 ? undefined : { relays: short.length, errno: short[0].errno as string };
  }

  /** Resolves once the engine reflects store revision `revision` (or after `timeoutMs`). */
  waitForRevision(revision: number, timeoutMs: number): Promise<boolean> {
    if (this.revision >= revision || this.stopped) return Promise.resolve(this.revision >= revision);
    return new Promise((resolve) => {
      const waiter = { revision, resolve: () => resolve(this.revision >= revision) };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        waiter.resolve();
      }, timeoutMs);
      waiter.resolve = () => {
        clearTimeout(timer);
        resolve(this.revision >= revision);
      };
      this.waiters.add(waiter);
    });
  }

  /** Engine events are logged; an interface coming up retries relays that failed for lack of it. */
  private readonly onEngineEvent = (event: EngineEvent): void => {
    const relayName = event.relayId === undefined ? undefined : this.desired.get(event.relayId)?.name;
    const line = engineEventLine(event, relayName);
    if (line.level === 'warn') this.logger.warn(line.fields, line.message);
    else this.logger.log(line.fields, line.message);
    if (event.type === 'interface-up') this.retryFailed();
  };

  private async syncFromList(): Promise<void> {
    while (!this.stopped) {
      try {
        const list = await this.store.list();
        if (this.stopped) return;
        this.resync(list.relays, list.revision);
        this.stopWatch = this.store.watch(list.revision, (change) => this.onChange(change));
        if (!this.ready) {
          this.logger.log(`first reconcile applied: ${list.relays.length} relays at store revision ${list.revision}`);
          this.reportReceiveBuffers();
          this.reportDescriptorBudget(list.relays);
        }
        this.ready = true;
        return;
      } catch (err) {
        if (err instanceof RevisionCompactedError) {
          this.logger.warn(`store history compacted between list and watch; re-listing`);
          continue;
        }
        this.logger.error(`cannot read the relay store, retrying in ${RETRY_LIST_MS} ms: ${(err as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, RETRY_LIST_MS));
      }
    }
  }

  /** Once, at start-up: a capped buffer is a host setting to fix, not something to log per scrape. */
  private reportReceiveBuffers(): void {
    if (this.engine.closed) return;
    const requested = requestedSocketBufferBytes(this.engine);
    const rmemMax = readRmemMax();
    for (const counters of this.engine.stats()) {
      const line = receiveBufferLine(counters, requested, rmemMax);
      if (line.level === 'warn') this.logger.warn(line.fields, line.message);
      else this.logger.log(line.fields, line.message);
    }
  }

  /** Once, at start-up: an open-files limit too small for the relays is a host setting to fix. */
  private reportDescriptorBudget(relays: readonly Relay[]): void {
    const line = descriptorBudgetLine(relays, readOpenFilesLimit());
    if (line.level === 'warn') this.logger.warn(line.fields, line.message);
    else this.logger.log(line.fields, line.message);
  }

  private resync(relays: Relay[], revision: number): void {
    this.desired.clear();
    for (const relay of relays) this.desired.set(relay.id, relay);
    const running = new Set([...this.engine.relayIds(), ...this.applied.keys()]);
    for (const id of running) if (!this.desired.has(id)) this.reconcileOne(id);
    for (const id of this.desired.keys()) this.reconcileOne(id);
    this.listedRevision = revision;
    this.advance(revision);
  }

  private onChange(change: RelayChange): void {
    // Changes of one store transaction (an import) share a revision: compare with the list's.
    if (this.stopped || change.revision <= this.listedRevision) return;
    if (change.type === 'put') this.desired.set(change.relay.id, change.relay);
    else this.desired.delete(change.id);
    this.reconcileOne(change.type === 'put' ? change.relay.id : change.id);
    this.advance(change.revision);
  }

  private advance(revision: number): void {
    this.revision = Math.max(this.revision, revision);
    for (const waiter of this.waiters) {
      if (waiter.revision <= this.revision) {
        this.waiters.delete(waiter);
        waiter.resolve();
      }
    }
  }

  /** Re-applies relays the engine refused (also run every RETRY_FAILED_MS). */
  retryFailed(): void {
    for (const id of [...this.failures.keys()]) this.reconcileOne(id);
  }

  private reconcileOne(id: string): void {
    if (this.engine.closed) return;
    const relay = this.desired.get(id);
    if (relay === undefined) {
      this.failures.delete(id);
      if (this.applied.delete(id) || this.engine.relayIds().includes(id)) this.removeFromEngine(id);
      return;
    }
    const spec = this.engineSpec(relay);
    const json = JSON.stringify(spec);
    if (this.applied.get(id) === json && !this.failures.has(id)) return;
    try {
      if (this.applied.has(id)) this.engine.updateRelay(id, spec);
      else this.engine.addRelay(spec);
      this.applied.set(id, json);
      if (this.failures.delete(id)) this.logger.log(`relay ${id} (${relay.name}) recovered and applied to the engine`);
      else this.logger.debug(`relay ${id} (${relay.name}) applied at revision ${relay.revision}`);
    } catch (err) {
      this.fail(id, relay, err);
    }
  }

  private fail(id: string, relay: Relay, err: unknown): void {
    const failure = asEngineFailure(err);
    const reason = failure?.message ?? (err as Error).message;
    // Never leave an older configuration of this relay running in the engine.
    if (this.applied.delete(id)) this.removeFromEngine(id);
    if (this.failures.get(id)?.reason !== reason) {
      this.logger.warn(`relay ${id} (${relay.name}) failed on this node: ${reason}`);
    }
    this.failures.set(id, { reason, errno: failure?.errno });
  }

  private removeFromEngine(id: string): void {
    try {
      this.engine.removeRelay(id);
    } catch (err) {
      if (asEngineFailure(err)?.code !== 'ERR_MCR_NOT_FOUND') {
        this.logger.error(`relay ${id}: engine refused removal: ${(err as Error).message}`);
      }
    }
  }

  private engineSpec(relay: Relay): EngineRelaySpec {
    const host = this.mapper.toHost(relay);
    const spec: EngineRelaySpec = {
      id: relay.id,
      name: host.name,
      enabled: host.enabled,
      input: host.input,
      outputs: host.outputs,
    };
    if (host.redundancy !== undefined) spec.redundancy = host.redundancy;
    if (host.analyze !== undefined) spec.analyze = host.analyze;
    return spec;
  }
}
