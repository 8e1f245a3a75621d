// One node of an etcd-backed HA cluster: keeps its lease, campaigns, and sets the engine's role and
// fencing deadline. Active only while it holds the leader key on a live lease (MCR_ON_STORE_LOSS
// =standby: and the last acknowledged renewal is recent enough); otherwise standby, relays armed.
import type { Logger } from '@nestjs/common';
import type { Etcd3, EtcdKeys } from '@mcr/store';
import type { Watcher } from '@mcr/store';
import type { OnStoreLoss } from '../config/config.types';
import type { RelayEngine } from '../engine/relay-engine';
import { LeaderElection, type MemberRecord } from './leader-election';
import { LeaseKeeper } from './lease-keeper';
import { MemberPublisher } from './member-publisher';

/** How often the JavaScript side notices a passed fencing deadline (the engine acts on it at once). */
const FENCE_CHECK_MS = 50;
/** A planned handover that the named node never takes lapses after this many lease TTLs. */
const SWITCHOVER_TTLS = 3;

export interface HaNodeOptions {
  client: Etcd3;
  keys: EtcdKeys;
  nodeId: string;
  leaseTtlS: number;
  onStoreLoss: OnStoreLoss;
  engine: RelayEngine;
  logger: Logger;
}

export interface HaCounters {
  failovers: number;
  renewals: number;
}

export class HaNode {
  readonly counters: HaCounters = { failovers: 0, renewals: 0 };
  private readonly election: LeaderElection;
  private readonly lease: LeaseKeeper;
  private readonly memberRecord: MemberPublisher;
  private deadlineNs?: bigint;
  private holdsLeaderKey = false;
  private leaderId: string | null = null;
  private maintenanceMode = false;
  /** The persisted maintenance flag has been read: until then this node does not campaign. */
  private maintenanceKnown = false;
  private fencedNow = false;
  private stopping = false;
  private memberList: MemberRecord[] = [];
  private watchers: Watcher[] = [];
  private fenceTimer?: NodeJS.Timeout;
  private refreshTimer?: NodeJS.Timeout;
  private refreshing = false;
  /** A watch event arrived during a refresh: run it again, the event may postdate what it read. */
  private refreshAgain = false;
  private lastProblem = '';

  constructor(private readonly options: HaNodeOptions) {
    this.election = new LeaderElection(options.client, options.keys, options.nodeId);
    this.lease = new LeaseKeeper(options.client, options.leaseTtlS, {
      renewed: (deadline) => this.onRenewed(deadline),
      lost: (reason) => this.onLeaseLost(reason),
      failed: (reason) => this.problem(`lease renewal failed: ${reason}`),
    });
    // lastSeen stays within a lease TTL (plus a tick) of now while the node lives.
    this.memberRecord = new MemberPublisher({
      publish: (record, leaseId) => this.election.publishMember(record, leaseId),
      refreshMs: options.leaseTtlS * 1000,
    });
  }

  get leader(): string | null {
    return this.leaderId;
  }

  get maintenance(): boolean {
    return this.maintenanceMode;
  }

  get fenced(): boolean {
    return this.fencedNow;
  }

  get members(): MemberRecord[] {
    return this.memberList;
  }

  /** Starts as standby: nothing is forwarded before this node holds the leader key. */
  start(): void {
    const { engine, onStoreLoss } = this.options;
    engine.setRole('standby');
    if (onStoreLoss === 'keep') engine.clearForwardUntil();
    else engine.setForwardUntil(process.hrtime.bigint());
    this.watchKey(this.options.keys.leader, () => void this.refresh());
    this.watchKey(this.options.keys.switchover, () => void this.refresh());
    this.lease.start();
    this.fenceTimer = setInterval(() => this.checkFence(), FENCE_CHECK_MS);
    this.refreshTimer = setInterval(() => void this.refresh(), this.lease.renewIntervalMs);
  }

  /** SIGTERM: stop forwarding first, then give up the lease so a standby takes over at once. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.fenceTimer);
    clearInterval(this.refreshTimer);
    this.apply('shutting down');
    for (const watcher of this.watchers.splice(0)) await watcher.cancel().catch(() => undefined);
    await this.lease.stop(true);
  }

  /** Planned handover to `to` (validated by the caller): the active stops, then resigns. */
  async switchover(to: string): Promise<void> {
    await this.election.requestSwitchover(to, Math.max(3, SWITCHOVER_TTLS * this.options.leaseTtlS));
    await this.refresh();
  }

  /** Persisted first (a restarted node stays out of elections), then applied. */
  async setMaintenance(enabled: boolean): Promise<void> {
    const key = Buffer.from(this.options.keys.maintenance(this.options.nodeId));
    if (enabled) await this.options.client.kv.put({ key, value: Buffer.from(JSON.stringify({ since: new Date().toISOString() })) });
    else await this.options.client.kv.deleteRange({ key });
    this.maintenanceMode = enabled;
    this.maintenanceKnown = true;
    this.options.logger.log(`maintenance mode ${enabled ? 'on: not campaigning' : 'off: campaigning again'}`);
    await this.refresh();
  }

  private onRenewed(deadlineNs: bigint): void {
    this.counters.renewals += 1;
    this.deadlineNs = deadlineNs;
    if (this.options.onStoreLoss === 'standby') this.options.engine.setForwardUntil(deadlineNs);
    if (this.fencedNow) this.options.logger.log('lease renewed again: fencing lifted');
    this.fencedNow = false;
    this.lastProblem = '';
    if (!this.holdsLeaderKey) void this.refresh();
    else this.apply('lease renewed');
  }

  private onLeaseLost(reason: string): void {
    this.holdsLeaderKey = false;
    this.apply(reason);
  }

  /** Re-reads (or takes) leadership, then publishes this node's member record. */
  private async refresh(): Promise<void> {
    const leaseId = this.lease.id;
    if (this.stopping || leaseId === undefined) return;
    if (this.refreshing) {
      this.refreshAgain = true;
      return;
    }
    this.refreshing = true;
    this.refreshAgain = false;
    try {
      if (!this.maintenanceKnown) await this.loadMaintenance();
      await this.handOverIfAsked(leaseId);
      const view = this.maintenanceMode ? await this.election.read(leaseId) : await this.election.campaign(leaseId);
      if (this.stopping) return;
      if (view.mine && this.maintenanceMode) {
        await this.resign(leaseId, 'maintenance mode');
      } else {
        this.holdsLeaderKey = view.mine;
        this.leaderId = view.leader;
        this.apply(view.mine ? 'won the election' : `the leader is ${view.leader ?? 'nobody'}`);
      }
      await this.memberRecord.maybePublish(this.record(), leaseId);
      this.memberList = await this.election.members();
    } catch (error) {
      this.problem(`cannot reach etcd for leadership: ${(error as Error).message}`);
    } finally {
      this.refreshing = false;
    }
    if (this.refreshAgain) await this.refresh();
  }

  private async loadMaintenance(): Promise<void> {
    const response = await this.options.client.kv.range({ key: Buffer.from(this.options.keys.maintenance(this.options.nodeId)) });
    if (this.maintenanceKnown) return; // the operator set it while this read was in flight
    this.maintenanceMode = response.kvs.length > 0;
    this.maintenanceKnown = true;
    if (this.maintenanceMode) this.options.logger.log('maintenance mode on (set before this start): not campaigning');
  }

  /** A pending switchover naming another node makes the active stop forwarding, then resign. */
  private async handOverIfAsked(leaseId: string): Promise<void> {
    if (!this.holdsLeaderKey) return;
    const response = await this.options.client.kv.range({ key: Buffer.from(this.options.keys.switchover) });
    const to = response.kvs[0]?.value.toString();
    if (to !== undefined && to !== this.options.nodeId) await this.resign(leaseId, `switchover to ${to}`);
  }

  private async resign(leaseId: string, reason: string): Promise<void> {
    this.holdsLeaderKey = false;
    this.apply(reason); // stop forwarding before the key is released
    await this.election.resign(leaseId);
    this.leaderId = null;
  }

  private checkFence(): void {
    if (this.options.onStoreLoss !== 'standby' || this.options.engine.role !== 'active') return;
    if (this.deadlineNs !== undefined && process.hrtime.bigint() < this.deadlineNs) return;
    this.fencedNow = true;
    this.apply('fenced: no lease renewal acknowledged in time (etcd unreachable?)');
  }

  /** The one place that changes the engine's role. */
  private apply(reason: string): void {
    const { engine, logger, onStoreLoss } = this.options;
    if (engine.closed) return;
    const leaseValid = onStoreLoss === 'keep' || (this.deadlineNs !== undefined && process.hrtime.bigint() < this.deadlineNs);
    const active = this.holdsLeaderKey && !this.maintenanceMode && !this.stopping && leaseValid;
    if (active === (engine.role === 'active')) return;
    if (active) {
      if (onStoreLoss === 'standby') engine.setForwardUntil(this.deadlineNs as bigint);
      engine.setRole('active');
      this.counters.failovers += 1;
      logger.log({ event: 'cluster.role', role: 'active', reason }, `role: active (${reason})`);
    } else {
      engine.setRole('standby');
      logger.warn({ event: 'cluster.role', role: 'standby', reason }, `role: standby (${reason})`);
    }
  }

  private record(): MemberRecord {
    return {
      nodeId: this.options.nodeId,
      role: this.options.engine.role,
      maintenance: this.maintenanceMode,
      lastSeen: new Date().toISOString(),
    };
  }

  private watchKey(key: string, onChange: () => void): void {
    const watcher = this.options.client.watch().key(key).watcher();
    watcher.on('put', onChange);
    watcher.on('delete', onChange);
    watcher.on('connected', onChange);
    watcher.on('error', (error: Error) => this.problem(`watch of ${key} failed: ${error.message}`));
    this.watchers.push(watcher);
  }

  /** Logged once per distinct problem, so an etcd outage does not flood the log. */
  private problem(message: string): void {
    if (message === this.lastProblem) return;
    this.lastProblem = message;
    this.options.logger.warn(message);
  }
}
