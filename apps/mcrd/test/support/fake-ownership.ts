// OwnershipStore on the in-memory etcd of fake-leadership.ts: owner keys on leases (they vanish
// with the lease), created only where absent, deleted only by the lease that holds them.
import type { OwnershipStore, Owners } from '../../src/cluster/ownership-store';
import type { FakeLeadershipCluster } from './fake-leadership';

export class FakeOwnershipStore implements OwnershipStore {
  constructor(
    private readonly cluster: FakeLeadershipCluster,
    private readonly nodeId: string,
  ) {}

  async owners(): Promise<Owners> {
    this.cluster.reachable(this.nodeId);
    return new Map([...this.cluster.ownerKeys].map(([relayId, owner]) => [relayId, owner.nodeId]));
  }

  async claim(relayIds: readonly string[], leaseId: string): Promise<string[]> {
    this.cluster.reachable(this.nodeId);
    this.cluster.requireLease(leaseId);
    const free = relayIds.filter((id) => !this.cluster.ownerKeys.has(id));
    if (free.length === 0) return [];
    this.cluster.ownerWrites += 1;
    this.cluster.change(() => {
      for (const id of free) this.cluster.ownerKeys.set(id, { nodeId: this.nodeId, leaseId });
    });
    return free;
  }

  async release(relayId: string, leaseId: string): Promise<void> {
    this.cluster.reachable(this.nodeId);
    if (this.cluster.ownerKeys.get(relayId)?.leaseId !== leaseId) return;
    this.cluster.ownerWrites += 1;
    this.cluster.change(() => this.cluster.ownerKeys.delete(relayId));
  }

  watch(onChange: () => void): () => Promise<void> {
    const cancel = this.cluster.watch(this.nodeId, onChange);
    return async () => cancel();
  }
}
