// The etcd side of leadership: a create-revision transaction on the leader key (attached to this
// node's lease), resigning, the member records behind GET /api/v1/cluster, and planned handovers.
// Holds no role state of its own; ClusterService decides what the engine does.
import type { Etcd3, EtcdKeys } from '@mcr/store';
import { prefixEnd } from '@mcr/store';

export interface LeaderView {
  /** Node id in the leader key; null when nobody leads. */
  leader: string | null;
  /** True when the leader key is this node's, on its current lease. */
  mine: boolean;
}

export interface MemberRecord {
  nodeId: string;
  role: 'active' | 'standby';
  maintenance: boolean;
  /** When the member last wrote its record (ISO 8601). */
  lastSeen: string;
}

export class LeaderElection {
  constructor(
    private readonly client: Etcd3,
    private readonly keys: EtcdKeys,
    private readonly nodeId: string,
  ) {}

  /**
   * Takes the leader key if it is free and no handover names another node. A pending handover to
   * this node is consumed in the same transaction.
   */
  async campaign(leaseId: string): Promise<LeaderView> {
    // Read first: a transaction with a put is a raft write (an fsync on every member) even when
    // its compare fails, and a held key is the common case on every tick of every node.
    const held = await this.read(leaseId);
    if (held.leader !== null) return held;
    const leader = Buffer.from(this.keys.leader);
    const switchover = Buffer.from(this.keys.switchover);
    const put = { request_put: { key: leader, value: Buffer.from(this.nodeId), lease: leaseId } };
    const free = await this.client.kv.txn({
      compare: [
        { key: leader, target: 'Create', result: 'Equal', create_revision: 0 },
        { key: switchover, target: 'Create', result: 'Equal', create_revision: 0 },
      ],
      success: [put],
      failure: [{ request_range: { key: leader } }, { request_range: { key: switchover } }],
    });
    if (free.succeeded) return { leader: this.nodeId, mine: true };
    const [current, handover] = free.responses.map((op) => op.response_range?.kvs[0]);
    if (current !== undefined) return this.view(current.value.toString(), current.lease, leaseId);
    if (handover?.value.toString() !== this.nodeId) return { leader: null, mine: false };
    const taken = await this.client.kv.txn({
      compare: [
        { key: leader, target: 'Create', result: 'Equal', create_revision: 0 },
        { key: switchover, target: 'Value', result: 'Equal', value: Buffer.from(this.nodeId) },
      ],
      success: [put, { request_delete_range: { key: switchover } }],
    });
    return taken.succeeded ? { leader: this.nodeId, mine: true } : this.read(leaseId);
  }

  async read(leaseId: string | undefined): Promise<LeaderView> {
    const response = await this.client.kv.range({ key: Buffer.from(this.keys.leader) });
    const kv = response.kvs[0];
    return kv === undefined ? { leader: null, mine: false } : this.view(kv.value.toString(), kv.lease, leaseId);
  }

  /** Deletes the leader key if it is still ours; the standbys see the delete and campaign at once. */
  async resign(leaseId: string): Promise<void> {
    await this.client.kv.txn({
      compare: [{ key: Buffer.from(this.keys.leader), target: 'Lease', result: 'Equal', lease: leaseId }],
      success: [{ request_delete_range: { key: Buffer.from(this.keys.leader) } }],
    });
  }

  /** Names the node that should lead next; the request lapses after `ttlS` if that node never takes it. */
  async requestSwitchover(to: string, ttlS: number): Promise<void> {
    const lease = await this.client.leaseClient.leaseGrant({ TTL: ttlS, ID: 0 });
    await this.client.kv.put({ key: Buffer.from(this.keys.switchover), value: Buffer.from(to), lease: lease.ID });
  }

  async publishMember(record: MemberRecord, leaseId: string): Promise<void> {
    await this.client.kv.put({ key: Buffer.from(this.keys.member(record.nodeId)), value: Buffer.from(JSON.stringify(record)), lease: leaseId });
  }

  async members(): Promise<MemberRecord[]> {
    const response = await this.client.kv.range({ key: Buffer.from(this.keys.members), range_end: prefixEnd(this.keys.members) });
    const records: MemberRecord[] = [];
    for (const kv of response.kvs) {
      try {
        records.push(JSON.parse(kv.value.toString()) as MemberRecord);
      } catch {
        // a record this version cannot read is not a member it can hand over to
      }
    }
    return records;
  }

  private view(leader: string, lease: string, leaseId: string | undefined): LeaderView {
    return { leader, mine: leader === this.nodeId && leaseId !== undefined && lease === leaseId };
  }
}
