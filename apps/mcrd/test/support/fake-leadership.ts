// An in-memory etcd for HA tests on fake timers: leases that expire one TTL after their last
// renewal, the leader key and switchover request on leases, maintenance flags, member records and
// watches, shared by several HaNodes; a node can be cut off from it (calls fail, no watch events).
import { EventEmitter } from 'node:events';
import type { Etcd3 } from '@mcr/store';
import type { LeaderKey } from '../../src/cluster/ha-decision';
import type { HandoverReason, LeadershipStore, LeadershipView, MemberRecord } from '../../src/cluster/leadership-store';

/** How often the fake server looks for expired leases (etcd itself checks every 500 ms, at most a tick late). */
const EXPIRY_CHECK_MS = 10;

export class FakeLeadershipCluster {
  leaderKey: LeaderKey | null = null;
  private switchover: { to: string; reason: HandoverReason; leaseId: string } | null = null;
  /** Per lease: its TTL and when it expires unless renewed. */
  private readonly leases = new Map<string, { ttlS: number; expiryMs: number }>();
  private readonly maintenance = new Set<string>();
  private readonly records = new Map<string, { record: MemberRecord; leaseId: string }>();
  /** Relay placement: relay id → owner node and the lease its key is on. */
  readonly ownerKeys = new Map<string, { nodeId: string; leaseId: string }>();
  /** Raft writes to owner keys (claims and releases that changed something), for the scale claims. */
  ownerWrites = 0;
  private readonly watchers = new Map<string, Set<() => void>>();
  private readonly cutOff = new Set<string>();
  private leaseCount = 0;
  private readonly expiryTimer = setInterval(() => this.expireLeases(), EXPIRY_CHECK_MS);

  /** Stops the lease expiry timer; call after each test. */
  dispose(): void {
    clearInterval(this.expiryTimer);
  }

  get switchoverTo(): string | null {
    return this.switchover?.to ?? null;
  }

  get switchoverReason(): HandoverReason | undefined {
    return this.switchover?.reason;
  }

  get memberIds(): string[] {
    return [...this.records.keys()].sort();
  }

  /** The node loses etcd: its calls fail and it gets no watch events. */
  cut(nodeId: string): void {
    this.cutOff.add(nodeId);
  }

  /** Its watch reconnects, which reports a change (as etcd3's 'connected' event does). */
  heal(nodeId: string): void {
    this.cutOff.delete(nodeId);
    for (const onChange of this.watchers.get(nodeId) ?? []) notify(onChange);
  }

  reachable(nodeId: string): void {
    if (this.cutOff.has(nodeId)) throw new Error('14 UNAVAILABLE: No connection established');
  }

  grantLease(nodeId: string, ttlS: number): string {
    this.reachable(nodeId);
    const id = `L${++this.leaseCount}`;
    this.leases.set(id, { ttlS, expiryMs: Date.now() + ttlS * 1000 });
    return id;
  }

  /** The lease's TTL, renewed from now; 0 when it is gone (expired or revoked), as etcd answers. */
  keepAlive(nodeId: string, leaseId: string): number {
    this.reachable(nodeId);
    const lease = this.leases.get(leaseId);
    if (lease === undefined) return 0;
    lease.expiryMs = Date.now() + lease.ttlS * 1000;
    return lease.ttlS;
  }

  revoke(nodeId: string, leaseId: string): void {
    this.reachable(nodeId);
    this.endLease(leaseId);
  }

  storeFor(nodeId: string): LeadershipStore {
    return new FakeLeadershipStore(this, nodeId);
  }

  /** Writes on behalf of a store; every change is reported to the watches of reachable nodes. */
  change(write: () => void): void {
    write();
    for (const [nodeId, onChanges] of this.watchers) {
      if (this.cutOff.has(nodeId)) continue;
      for (const onChange of onChanges) notify(onChange);
    }
  }

  setSwitchover(to: string, ttlS: number, reason: HandoverReason): void {
    const leaseId = this.grantLease('switchover', ttlS);
    this.change(() => (this.switchover = { to, reason, leaseId }));
  }

  clearSwitchover(): void {
    this.switchover = null;
  }

  isInMaintenance(nodeId: string): boolean {
    return this.maintenance.has(nodeId);
  }

  setMaintenance(nodeId: string, enabled: boolean): void {
    if (enabled) this.maintenance.add(nodeId);
    else this.maintenance.delete(nodeId);
  }

  /** etcd refuses a put attached to a lease it no longer has. */
  requireLease(leaseId: string): void {
    if (!this.leases.has(leaseId)) throw new Error('5 NOT_FOUND: etcdserver: requested lease not found');
  }

  putRecord(record: MemberRecord, leaseId: string): void {
    this.requireLease(leaseId);
    this.change(() => this.records.set(record.nodeId, { record, leaseId }));
  }

  recordList(): MemberRecord[] {
    return [...this.records.values()].map((entry) => entry.record);
  }

  watch(nodeId: string, onChange: () => void): () => void {
    const onChanges = this.watchers.get(nodeId) ?? new Set();
    onChanges.add(onChange);
    this.watchers.set(nodeId, onChanges);
    notify(onChange); // etcd3 reports 'connected' once the watch is up
    return () => onChanges.delete(onChange);
  }

  private expireLeases(): void {
    for (const [leaseId, lease] of this.leases) if (Date.now() >= lease.expiryMs) this.endLease(leaseId);
  }

  /** Keys attached to a lease vanish with it. */
  private endLease(leaseId: string): void {
    this.leases.delete(leaseId);
    for (const [nodeId, entry] of this.records)
      if (entry.leaseId === leaseId) this.change(() => this.records.delete(nodeId));
    if (this.leaderKey?.leaseId === leaseId) this.change(() => (this.leaderKey = null));
    for (const [relayId, owner] of this.ownerKeys)
      if (owner.leaseId === leaseId) this.change(() => this.ownerKeys.delete(relayId));
    if (this.switchover?.leaseId === leaseId) this.change(() => (this.switchover = null));
  }
}

/** Watch events arrive after the write that caused them returned, as over gRPC. */
function notify(onChange: () => void): void {
  void Promise.resolve().then(onChange);
}

class FakeLeadershipStore implements LeadershipStore {
  constructor(
    private readonly cluster: FakeLeadershipCluster,
    private readonly nodeId: string,
  ) {}

  async observe(): Promise<LeadershipView> {
    this.cluster.reachable(this.nodeId);
    const { leaderKey, switchoverTo, switchoverReason } = this.cluster;
    return { leaderKey, switchoverTo, switchoverReason };
  }

  async campaign(leaseId: string): Promise<LeadershipView> {
    const { cluster, nodeId } = this;
    cluster.reachable(nodeId);
    const to = cluster.switchoverTo;
    if (cluster.leaderKey === null && (to === null || to === nodeId)) {
      cluster.requireLease(leaseId);
      cluster.change(() => {
        cluster.leaderKey = { nodeId, leaseId };
        cluster.clearSwitchover();
      });
    }
    return this.observe();
  }

  async resign(leaseId: string): Promise<void> {
    const { cluster } = this;
    cluster.reachable(this.nodeId);
    if (cluster.leaderKey?.leaseId === leaseId) cluster.change(() => (cluster.leaderKey = null));
  }

  async requestSwitchover(to: string, ttlS: number, reason: HandoverReason): Promise<void> {
    this.cluster.reachable(this.nodeId);
    this.cluster.setSwitchover(to, ttlS, reason);
  }

  async readMaintenance(): Promise<boolean> {
    this.cluster.reachable(this.nodeId);
    return this.cluster.isInMaintenance(this.nodeId);
  }

  async writeMaintenance(enabled: boolean): Promise<void> {
    this.cluster.reachable(this.nodeId);
    this.cluster.setMaintenance(this.nodeId, enabled);
  }

  async publishMember(record: MemberRecord, leaseId: string): Promise<void> {
    this.cluster.reachable(this.nodeId);
    this.cluster.putRecord(record, leaseId);
  }

  async members(): Promise<MemberRecord[]> {
    this.cluster.reachable(this.nodeId);
    return this.cluster.recordList();
  }

  watch(onChange: () => void): () => Promise<void> {
    const cancel = this.cluster.watch(this.nodeId, onChange);
    return async () => cancel();
  }
}

/**
 * The lease calls LeaseKeeper makes, answered by the fake cluster: the real LeaseKeeper (renewal
 * timing, deadlines, retries) runs in HA tests. A cut-off node's calls fail as gRPC's would.
 */
export function fakeEtcdLeaseClient(cluster: FakeLeadershipCluster, nodeId: string): Etcd3 {
  const leaseClient = {
    leaseGrant: async ({ TTL }: { TTL: number }) => ({ ID: cluster.grantLease(nodeId, TTL), TTL: String(TTL) }),
    leaseRevoke: async ({ ID }: { ID: string }) => cluster.revoke(nodeId, ID),
    leaseKeepAlive: async () => {
      cluster.reachable(nodeId);
      const stream = Object.assign(new EventEmitter(), {
        write: ({ ID }: { ID: string }) => {
          void Promise.resolve().then(() => {
            try {
              const ttlS = cluster.keepAlive(nodeId, ID);
              stream.emit('data', { ID, TTL: String(ttlS) });
            } catch (error) {
              stream.emit('error', error);
            }
          });
        },
        end: () => undefined,
      });
      return stream;
    },
  };
  return { leaseClient } as unknown as Etcd3;
}
