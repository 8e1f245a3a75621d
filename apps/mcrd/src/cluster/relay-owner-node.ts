// One node of a cluster with MCR_PLACEMENT=relay: every node with a lease is active, and each
// relay is forwarded only by the node that holds its owner key. The placement rule lives in
// relay-placement.ts; this shell keeps the lease (the node-wide fencing deadline still stops a
// node cut off from etcd before its lease, and with it its owner keys, can expire), reads the
// owners and members, and claims or releases relays. Ordering is the safety argument:
//   claim:   owner key created (etcd) → engine owns the relay
//   release: engine stops the relay   → owner key deleted (etcd)
// so a relay is never forwarded by two nodes: its key names at most one node at any time.
import { ProblemLog } from './problem-log';
import type { LoggerService } from '@nestjs/common';
import type { RelayEngine } from '../engine/relay-engine';
import { systemClock, type Clock } from './clock';
import { CoalescingTask } from './coalescing-task';
import { LIVENESS_POLL_MS } from './input-handover';
import { InputLiveness, type LivenessSummary } from './input-liveness';
import type { LeadershipStore, MemberRecord } from './leadership-store';
import type { Lease, LeaseEvents } from './lease-keeper';
import { MemberPublisher } from './member-publisher';
import type { OwnershipStore, Owners } from './ownership-store';
import { placeRelays, type PlacementMember, type PlacementRelay } from './relay-placement';

/**
 * A release is carried out only once it has been wanted this long: when an input stops
 * everywhere, every node publishes the silence within this time, so nothing moves (as the
 * node-placement handover's hold-down, handover-decision.ts).
 */
export const RELEASE_HOLD_DOWN_MS = 300;
/** A changed set of silent inputs is published at most this often. */
const PUBLISH_DEBOUNCE_MS = 100;

export type OwnerEngine = Pick<
  RelayEngine,
  'role' | 'closed' | 'setRole' | 'setForwardUntil' | 'setRelayOwned' | 'setNewRelaysOwned' | 'inputCounts'
>;

export interface RelayOwnerNodeOptions {
  leadership: LeadershipStore;
  ownership: OwnershipStore;
  createLease(events: LeaseEvents): Lease;
  nodeId: string;
  leaseTtlS: number;
  engine: OwnerEngine;
  /** The relays to place (every relay the engine holds), with their preferred node. */
  relays: () => PlacementRelay[];
  logger: Pick<LoggerService, 'log' | 'warn'>;
  clock?: Clock;
}

export class RelayOwnerNode {
  /** Relays claimed by this node (etcd said so) and owned in the engine. */
  private readonly ownedRelays = new Set<string>();
  private readonly releaseWantedSinceMs = new Map<string, number>();
  private readonly liveness = new InputLiveness();
  private readonly refreshTask = new CoalescingTask(() => this.refresh());
  private readonly memberRecord: MemberPublisher;
  private readonly lease: Lease;
  private readonly clock: Clock;
  private owners: Owners = new Map();
  private memberList: MemberRecord[] = [];
  private summary: LivenessSummary = { live: 0, total: 0 };
  private publishedSilence = '';
  private publishTimer?: NodeJS.Timeout;
  private maintenanceMode?: boolean;
  private fenceDeadlineNs?: bigint;
  private leaseSeen?: string;
  private stopping = false;
  private timers: NodeJS.Timeout[] = [];
  private cancelWatches: (() => Promise<void>)[] = [];
  private readonly problems: ProblemLog;
  private renewalCount = 0;

  constructor(private readonly options: RelayOwnerNodeOptions) {
    this.clock = options.clock ?? systemClock;
    this.problems = new ProblemLog(options.logger);
    this.lease = options.createLease({
      renewed: (deadline) => this.onRenewed(deadline),
      lost: (reason) => this.onLeaseLost(reason),
      failed: (reason) => this.problem(`lease renewal failed: ${reason}`),
    });
    this.memberRecord = new MemberPublisher({
      publish: (record, leaseId) => options.leadership.publishMember(record, leaseId),
      refreshMs: options.leaseTtlS * 1000,
      now: () => this.nowMs(),
    });
  }

  /** Acknowledged lease grants and renewals (mcr_lease_renewals_total). */
  get renewals(): number {
    return this.renewalCount;
  }

  /** relay id → owning node, as last read from etcd. */
  get ownerOf(): ReadonlyMap<string, string> {
    return this.owners;
  }

  /** Relays this node forwards (unless fenced). */
  get owned(): ReadonlySet<string> {
    return this.ownedRelays;
  }

  get members(): MemberRecord[] {
    return this.memberList;
  }

  get maintenance(): boolean {
    return this.maintenanceMode ?? false;
  }

  get inputs(): LivenessSummary {
    return this.summary;
  }

  /** Past the deadline of the last acknowledged renewal: the workers send nothing. */
  get fenced(): boolean {
    return this.fenceDeadlineNs === undefined || this.clock.nowNs() >= this.fenceDeadlineNs;
  }

  /** Active with nothing owned: relays join unowned, and nothing is sent before a lease. */
  start(): void {
    const { engine, leadership, ownership } = this.options;
    engine.setNewRelaysOwned(false);
    for (const id of engine.inputCounts().ids) engine.setRelayOwned(id, false);
    engine.setForwardUntil(this.clock.nowNs());
    engine.setRole('active');
    const onChange = () => void this.refreshTask.run();
    const onProblem = (message: string) => this.problem(message);
    this.cancelWatches = [leadership.watch(onChange, onProblem), ownership.watch(onChange, onProblem)];
    this.lease.start();
    this.timers.push(setInterval(() => this.pollInputs(), LIVENESS_POLL_MS));
    this.timers.push(setInterval(onChange, this.lease.renewIntervalMs));
  }

  /** SIGTERM: stop forwarding everything, then revoke the lease: every owner key goes at once. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    clearTimeout(this.publishTimer);
    this.dropAll();
    if (!this.options.engine.closed) this.options.engine.setRole('standby');
    for (const cancel of this.cancelWatches) await cancel();
    await this.lease.stop(true);
  }

  /** Persisted first (a restarted node stays out of placement), then applied. */
  async setMaintenance(enabled: boolean): Promise<void> {
    await this.options.leadership.writeMaintenance(enabled);
    this.maintenanceMode = enabled;
    this.options.logger.log(`maintenance mode ${enabled ? 'on: releasing every relay' : 'off: taking a share again'}`);
    await this.refreshTask.run();
  }

  private onRenewed(deadlineNs: bigint): void {
    this.renewalCount += 1;
    this.fenceDeadlineNs = deadlineNs;
    this.options.engine.setForwardUntil(deadlineNs);
    this.problems.clear();
    // A new lease: claim at once rather than at the next periodic pass.
    if (this.lease.id !== this.leaseSeen) {
      this.leaseSeen = this.lease.id;
      void this.refreshTask.run();
    }
  }

  /** etcd says the lease is gone, and every owner key on it with it. */
  private onLeaseLost(reason: string): void {
    this.options.logger.warn(`lease lost: ${reason}; releasing ${this.ownedRelays.size} relays`);
    this.dropAll();
  }

  private async refresh(): Promise<void> {
    const leaseId = this.lease.id;
    if (this.stopping || leaseId === undefined) return;
    const { leadership, ownership } = this.options;
    try {
      if (this.maintenanceMode === undefined) this.maintenanceMode = await leadership.readMaintenance();
      [this.owners, this.memberList] = await Promise.all([ownership.owners(), leadership.members()]);
      this.forgetLostClaims();
      const placement = placeRelays({
        relays: this.options.relays(),
        members: this.placementMembers(),
        owners: this.owners,
      });
      await this.releaseMisplaced(placement, leaseId);
      await this.claimFree(placement, leaseId);
      if (this.stopping) return;
      await this.memberRecord.maybePublish(this.record(), leaseId);
    } catch (error) {
      this.problem(`cannot reach etcd for relay ownership: ${(error as Error).message}`);
    }
  }

  /** etcd is the truth: a relay whose key no longer names this node is not forwarded here. */
  private forgetLostClaims(): void {
    for (const id of [...this.ownedRelays]) {
      if (this.owners.get(id) !== this.options.nodeId) this.disown(id);
    }
  }

  private async releaseMisplaced(placement: Map<string, string>, leaseId: string): Promise<void> {
    const nowMs = this.nowMs();
    for (const id of [...this.releaseWantedSinceMs.keys()]) {
      if (!this.ownedRelays.has(id) || placement.get(id) === this.options.nodeId) this.releaseWantedSinceMs.delete(id);
    }
    for (const id of [...this.ownedRelays]) {
      const target = placement.get(id);
      if (target === this.options.nodeId) continue;
      const since = this.releaseWantedSinceMs.get(id) ?? nowMs;
      this.releaseWantedSinceMs.set(id, since);
      if (nowMs - since < RELEASE_HOLD_DOWN_MS) {
        this.refreshAfter(RELEASE_HOLD_DOWN_MS - (nowMs - since));
        continue;
      }
      this.disown(id);
      this.releaseWantedSinceMs.delete(id);
      await this.options.ownership.release(id, leaseId);
      this.owners.delete(id);
      this.options.logger.log(
        { event: 'cluster.relay', relay: id, to: target ?? null },
        `relay ${id} released${target === undefined ? '' : ` for ${target}`}`,
      );
    }
  }

  private async claimFree(placement: Map<string, string>, leaseId: string): Promise<void> {
    const free = [...placement].filter(([id, nodeId]) => nodeId === this.options.nodeId && !this.owners.has(id));
    if (free.length === 0) return;
    const claimed = await this.options.ownership.claim(
      free.map(([id]) => id),
      leaseId,
    );
    for (const id of claimed) {
      this.owners.set(id, this.options.nodeId);
      if (this.stopping || this.lease.id !== leaseId) return;
      try {
        this.options.engine.setRelayOwned(id, true);
        this.ownedRelays.add(id);
      } catch {
        // removed from the engine meanwhile: the key goes with the relay's next refresh
      }
    }
    if (claimed.length === 0) return;
    // After a node failure this is hundreds of relays: the line names a few, the fields all.
    const named = claimed.slice(0, 5).join(', ') + (claimed.length > 5 ? ` and ${claimed.length - 5} more` : '');
    this.options.logger.log({ event: 'cluster.relay', claimed }, `claimed ${claimed.length} relays: ${named}`);
  }

  private placementMembers(): PlacementMember[] {
    const peers = this.memberList
      .filter((member) => member.nodeId !== this.options.nodeId)
      .map((member) => ({
        nodeId: member.nodeId,
        maintenance: member.maintenance,
        silentInputs: member.silentInputs === undefined ? undefined : new Set(member.silentInputs),
      }));
    // This node's own facts are local and fresh, never the record it published.
    const self = {
      nodeId: this.options.nodeId,
      maintenance: this.maintenance,
      silentInputs: new Set(this.liveness.notAlive),
    };
    return [...peers, self];
  }

  private pollInputs(): void {
    this.summary = this.liveness.sample(this.nowMs(), this.options.engine.inputCounts());
    const silence = this.liveness.notAlive.join('\n');
    if (silence === this.publishedSilence) return;
    this.publishedSilence = silence;
    this.refreshAfter(PUBLISH_DEBOUNCE_MS);
  }

  private refreshAfter(delayMs: number): void {
    if (this.publishTimer !== undefined || this.stopping) return;
    this.publishTimer = setTimeout(() => {
      this.publishTimer = undefined;
      void this.refreshTask.run();
    }, delayMs);
  }

  private record(): MemberRecord {
    return {
      nodeId: this.options.nodeId,
      role: this.ownedRelays.size > 0 ? 'active' : 'standby',
      maintenance: this.maintenance,
      lastSeen: new Date().toISOString(),
      liveInputs: this.summary.live,
      placement: 'relay',
      silentInputs: [...this.liveness.notAlive],
      owns: this.ownedRelays.size,
    };
  }

  private disown(id: string): void {
    this.ownedRelays.delete(id);
    try {
      this.options.engine.setRelayOwned(id, false);
    } catch {
      // the relay is gone from the engine: nothing forwards it here
    }
  }

  private dropAll(): void {
    if (this.options.engine.closed) {
      this.ownedRelays.clear();
      return;
    }
    for (const id of [...this.ownedRelays]) this.disown(id);
  }

  private nowMs(): number {
    return Number(this.clock.nowNs() / 1_000_000n);
  }

  private problem(message: string): void {
    this.problems.report(message);
  }
}
