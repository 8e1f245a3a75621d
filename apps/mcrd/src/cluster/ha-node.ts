// One node of an etcd-backed HA cluster, the imperative shell around decideRole (ha-decision.ts):
// keeps the lease, gathers the facts, applies the decided role and fencing deadline to the engine
// and carries out the etcd action (campaign, resign). The rules themselves live in ha-decision.ts;
// the data-plane handover (input liveness) in input-handover.ts.
import { ProblemLog } from './problem-log';
import type { LoggerService } from '@nestjs/common';
import type { OnStoreLoss } from '../config/config.types';
import type { RelayEngine } from '../engine/relay-engine';
import { systemClock, type Clock } from './clock';
import { CoalescingTask } from './coalescing-task';
import { decideRole, type HaDecision, type HaFacts } from './ha-decision';
import { InputHandover, LIVENESS_POLL_MS } from './input-handover';
import type { InputSnapshot, LivenessSummary } from './input-liveness';
import type { HandoverReason, LeadershipStore, LeadershipView, MemberRecord } from './leadership-store';
import type { Lease, LeaseEvents } from './lease-keeper';
import { MemberPublisher } from './member-publisher';

/** How often the JavaScript side notices a passed fencing deadline (the engine acts on it at once). */
const FENCE_CHECK_MS = 50;
/** A planned handover that the named node never takes lapses after this many lease TTLs. */
const SWITCHOVER_TTLS = 3;

/** Why a node became active: mcr_failovers_total{reason}. */
export const FAILOVER_REASONS = [
  'leader_key_free',
  'switchover',
  'input_liveness',
  'fencing_lifted',
] as const satisfies readonly ('leader_key_free' | HandoverReason | 'fencing_lifted')[];
export type FailoverReason = (typeof FAILOVER_REASONS)[number];

export type HaEngine = Pick<RelayEngine, 'role' | 'closed' | 'setRole' | 'setForwardUntil' | 'clearForwardUntil'>;

export interface HaNodeOptions {
  store: LeadershipStore;
  /** The lease this node's leadership hangs on, reporting to `events`. */
  createLease(events: LeaseEvents): Lease;
  nodeId: string;
  leaseTtlS: number;
  onStoreLoss: OnStoreLoss;
  engine: HaEngine;
  /** Every relay's receive counter as the engine holds it now (input liveness). */
  inputs: () => InputSnapshot;
  logger: Pick<LoggerService, 'log' | 'warn'>;
  clock?: Clock;
}

export interface HaCounters {
  failovers: Record<FailoverReason, number>;
  renewals: number;
}

export class HaNode {
  readonly counters: HaCounters = {
    failovers: Object.fromEntries(FAILOVER_REASONS.map((reason) => [reason, 0])) as Record<FailoverReason, number>,
    renewals: 0,
  };
  private readonly lease: Lease;
  private readonly memberRecord: MemberPublisher;
  private readonly refreshTask = new CoalescingTask(() => this.refresh());
  private readonly clock: Clock;
  /** The leader key and switchover request as last read (or changed) by this node. */
  private leadership: LeadershipView = { leaderKey: null, switchoverTo: null };
  /** undefined until read from the store: until then this node does not campaign. */
  private maintenanceMode?: boolean;
  private fenceDeadlineNs?: bigint;
  private stopping = false;
  private decision: HaDecision = { role: 'standby', reason: 'starting', fenced: false };
  private memberList: MemberRecord[] = [];
  private timers: NodeJS.Timeout[] = [];
  private cancelWatch?: () => Promise<void>;
  private readonly problems: ProblemLog;
  private readonly dataPlane: InputHandover;
  /** What the next promotion to active is counted as. */
  private promotionReason: FailoverReason = 'leader_key_free';

  constructor(private readonly options: HaNodeOptions) {
    this.clock = options.clock ?? systemClock;
    this.problems = new ProblemLog(options.logger);
    this.lease = options.createLease({
      renewed: (deadline) => this.onRenewed(deadline),
      lost: (reason) => this.onLeaseLost(reason),
      failed: (reason) => this.problem(`lease renewal failed: ${reason}`),
    });
    // lastSeen stays within a lease TTL (plus a tick) of now while the node lives.
    this.memberRecord = new MemberPublisher({
      publish: (record, leaseId) => options.store.publishMember(record, leaseId),
      refreshMs: options.leaseTtlS * 1000,
      now: () => Number(this.clock.nowNs() / 1_000_000n),
    });
    this.dataPlane = new InputHandover({
      nodeId: options.nodeId,
      inputs: options.inputs,
      publish: () => void this.refreshTask.run(),
      handOver: (to) =>
        this.switchover(to, 'input_liveness').catch((error: Error) =>
          this.problem(`handover to ${to} failed: ${error.message}`),
        ),
      logger: options.logger,
    });
  }

  get leader(): string | null {
    return this.leadership.leaderKey?.nodeId ?? null;
  }

  get maintenance(): boolean {
    return this.maintenanceMode ?? false;
  }

  get fenced(): boolean {
    return this.decision.fenced;
  }

  get members(): MemberRecord[] {
    return this.memberList;
  }

  /** This node's input liveness as last sampled. */
  get inputs(): LivenessSummary {
    return this.dataPlane.summary;
  }

  /** Starts as standby: nothing is forwarded before this node holds the leader key. */
  start(): void {
    const { engine, onStoreLoss, store } = this.options;
    engine.setRole('standby');
    if (onStoreLoss === 'keep') engine.clearForwardUntil();
    else engine.setForwardUntil(this.clock.nowNs());
    this.cancelWatch = store.watch(
      () => void this.refreshTask.run(),
      (message) => this.problem(message),
    );
    this.lease.start();
    this.timers.push(setInterval(() => this.applyDecision(), FENCE_CHECK_MS));
    this.timers.push(setInterval(() => this.pollInputs(), LIVENESS_POLL_MS));
    this.timers.push(setInterval(() => void this.refreshTask.run(), this.lease.renewIntervalMs));
  }

  /** SIGTERM: stop forwarding first, then give up the lease so a standby takes over at once. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    this.applyDecision();
    await this.cancelWatch?.();
    await this.lease.stop(true);
  }

  /** Planned handover to `to` (validated by the caller): the active stops, then resigns. */
  async switchover(to: string, reason: HandoverReason = 'switchover'): Promise<void> {
    const ttlS = Math.max(3, SWITCHOVER_TTLS * this.options.leaseTtlS);
    await this.options.store.requestSwitchover(to, ttlS, reason);
    await this.refreshTask.run();
  }

  /** Persisted first (a restarted node stays out of elections), then applied. */
  async setMaintenance(enabled: boolean): Promise<void> {
    await this.options.store.writeMaintenance(enabled);
    this.maintenanceMode = enabled;
    this.options.logger.log(`maintenance mode ${enabled ? 'on: not campaigning' : 'off: campaigning again'}`);
    await this.refreshTask.run();
  }

  private onRenewed(deadlineNs: bigint): void {
    this.counters.renewals += 1;
    this.fenceDeadlineNs = deadlineNs;
    if (this.options.onStoreLoss === 'standby') this.options.engine.setForwardUntil(deadlineNs);
    this.problems.clear();
    // A standby re-reads at once: it may be free to campaign now that it has a lease.
    if (this.applyDecision().role === 'standby') void this.refreshTask.run();
  }

  private onLeaseLost(reason: string): void {
    this.options.logger.warn(`lease lost: ${reason}`);
    this.applyDecision();
  }

  /** Reads leadership, carries out the decided action, then publishes this node's member record. */
  private async refresh(): Promise<void> {
    const leaseId = this.lease.id;
    if (this.stopping || leaseId === undefined) return;
    const { store } = this.options;
    try {
      if (this.maintenanceMode === undefined) await this.loadMaintenance();
      this.leadership = await store.observe();
      await this.act(this.applyDecision(), leaseId);
      if (this.stopping) return;
      await this.memberRecord.maybePublish(this.record(), leaseId);
      this.memberList = await store.members();
    } catch (error) {
      this.problem(`cannot reach etcd for leadership: ${(error as Error).message}`);
    }
  }

  private async loadMaintenance(): Promise<void> {
    const persisted = await this.options.store.readMaintenance();
    if (this.maintenanceMode !== undefined) return; // the operator set it while this read was in flight
    this.maintenanceMode = persisted;
    if (persisted) this.options.logger.log('maintenance mode on (set before this start): not campaigning');
  }

  /** The engine already has the decided role: a node stops forwarding before it releases the key. */
  private async act(decision: HaDecision, leaseId: string): Promise<void> {
    if (decision.action === 'campaign') {
      const { switchoverTo, switchoverReason } = this.leadership;
      this.promotionReason =
        switchoverTo === this.options.nodeId ? (switchoverReason ?? 'switchover') : 'leader_key_free';
      this.leadership = await this.options.store.campaign(leaseId);
    } else if (decision.action === 'resign') {
      await this.options.store.resign(leaseId);
      this.leadership = { ...this.leadership, leaderKey: null };
    } else {
      return;
    }
    this.applyDecision();
  }

  private facts(): HaFacts {
    return {
      nodeId: this.options.nodeId,
      onStoreLoss: this.options.onStoreLoss,
      nowNs: this.clock.nowNs(),
      leaseId: this.lease.id,
      fenceDeadlineNs: this.fenceDeadlineNs,
      leaderKey: this.leadership.leaderKey,
      switchoverTo: this.leadership.switchoverTo,
      maintenance: this.maintenanceMode,
      stopping: this.stopping,
    };
  }

  /** Decides on the current facts and applies the role: the one place that changes the engine's role. */
  private applyDecision(): HaDecision {
    const { engine, logger, onStoreLoss } = this.options;
    const decision = decideRole(this.facts());
    if (this.decision.fenced && decision.role === 'active') {
      logger.log('lease renewed again: fencing lifted');
      this.promotionReason = 'fencing_lifted';
    }
    this.decision = decision;
    if (engine.closed || decision.role === engine.role) return decision;
    const { role, reason } = decision;
    if (role === 'active') {
      if (onStoreLoss === 'standby') engine.setForwardUntil(this.fenceDeadlineNs as bigint);
      engine.setRole('active');
      this.counters.failovers[this.promotionReason] += 1;
      logger.log({ event: 'cluster.role', role, reason }, `role: active (${reason})`);
    } else {
      engine.setRole('standby');
      logger.warn({ event: 'cluster.role', role, reason }, `role: standby (${reason})`);
    }
    return decision;
  }

  private record(): MemberRecord {
    return {
      nodeId: this.options.nodeId,
      role: this.options.engine.role,
      maintenance: this.maintenance,
      lastSeen: new Date().toISOString(),
      liveInputs: this.dataPlane.publishedLive,
      placement: 'node',
    };
  }

  /** Input liveness; a node that forwards, with no handover pending, may hand the lead on. */
  private pollInputs(): void {
    const leading = this.decision.role === 'active' && this.leadership.switchoverTo === null && !this.stopping;
    this.dataPlane.poll(Number(this.clock.nowNs() / 1_000_000n), leading, this.memberList);
  }

  private problem(message: string): void {
    this.problems.report(message);
  }
}
