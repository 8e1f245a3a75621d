// LeadershipStore on etcd: a create-revision transaction on the leader key (attached to this
// node's lease), resigning, planned handovers, the maintenance flag and the member records.
// Holds no role state of its own; decideRole (ha-decision.ts) decides what the engine does.
import type { Etcd3, EtcdKeys } from '@mcr/store';
import { prefixEnd } from '@mcr/store';
import type { LeaderKey } from './ha-decision';
import type { HandoverReason, LeadershipStore, LeadershipView, MemberRecord } from './leadership-store';

export class EtcdLeadershipStore implements LeadershipStore {
  constructor(
    private readonly client: Etcd3,
    private readonly keys: EtcdKeys,
    private readonly nodeId: string,
  ) {}

  /** One read-only transaction: served by etcd without a raft write. */
  async observe(): Promise<LeadershipView> {
    const response = await this.client.kv.txn({
      compare: [],
      success: [
        { request_range: { key: Buffer.from(this.keys.leader) } },
        { request_range: { key: Buffer.from(this.keys.switchover) } },
        { request_range: { key: Buffer.from(this.keys.switchoverReason) } },
      ],
    });
    const [leader, handover, reason] = response.responses.map((op) => op.response_range?.kvs[0]);
    return {
      leaderKey: leaderKey(leader),
      switchoverTo: handover?.value.toString() ?? null,
      switchoverReason: handoverReason(reason),
    };
  }

  /**
   * Only called after observe() found the key free: a transaction with a put is a raft write (an
   * fsync on every member) even when its compare fails, and a held key is the common case.
   */
  async campaign(leaseId: string): Promise<LeadershipView> {
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
    const mine: LeadershipView = { leaderKey: { nodeId: this.nodeId, leaseId }, switchoverTo: null };
    if (free.succeeded) return mine;
    const [current, handover] = free.responses.map((op) => op.response_range?.kvs[0]);
    const seen = { leaderKey: leaderKey(current), switchoverTo: handover?.value.toString() ?? null };
    if (seen.leaderKey !== null || seen.switchoverTo !== this.nodeId) return seen;
    const taken = await this.client.kv.txn({
      compare: [
        { key: leader, target: 'Create', result: 'Equal', create_revision: 0 },
        { key: switchover, target: 'Value', result: 'Equal', value: Buffer.from(this.nodeId) },
      ],
      success: [
        put,
        { request_delete_range: { key: switchover } },
        { request_delete_range: { key: Buffer.from(this.keys.switchoverReason) } },
      ],
    });
    return taken.succeeded ? mine : this.observe();
  }

  /** Deletes the leader key if it is still ours; the standbys see the delete and campaign at once. */
  async resign(leaseId: string): Promise<void> {
    await this.client.kv.txn({
      compare: [{ key: Buffer.from(this.keys.leader), target: 'Lease', result: 'Equal', lease: leaseId }],
      success: [{ request_delete_range: { key: Buffer.from(this.keys.leader) } }],
    });
  }

  /** The target and the reason in one transaction on one lease: they appear and lapse together. */
  async requestSwitchover(to: string, ttlS: number, reason: HandoverReason): Promise<void> {
    const lease = await this.client.leaseClient.leaseGrant({ TTL: ttlS, ID: 0 });
    const put = (key: string, value: string) => ({
      request_put: { key: Buffer.from(key), value: Buffer.from(value), lease: lease.ID },
    });
    await this.client.kv.txn({
      compare: [],
      success: [put(this.keys.switchover, to), put(this.keys.switchoverReason, reason)],
    });
  }

  async readMaintenance(): Promise<boolean> {
    const response = await this.client.kv.range({ key: Buffer.from(this.keys.maintenance(this.nodeId)) });
    return response.kvs.length > 0;
  }

  async writeMaintenance(enabled: boolean): Promise<void> {
    const key = Buffer.from(this.keys.maintenance(this.nodeId));
    if (enabled)
      await this.client.kv.put({ key, value: Buffer.from(JSON.stringify({ since: new Date().toISOString() })) });
    else await this.client.kv.deleteRange({ key });
  }

  async publishMember(record: MemberRecord, leaseId: string): Promise<void> {
    await this.client.kv.put({
      key: Buffer.from(this.keys.member(record.nodeId)),
      value: Buffer.from(JSON.stringify(record)),
      lease: leaseId,
    });
  }

  async members(): Promise<MemberRecord[]> {
    const response = await this.client.kv.range({
      key: Buffer.from(this.keys.members),
      range_end: prefixEnd(this.keys.members),
    });
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

  watch(onChange: () => void, onProblem: (message: string) => void): () => Promise<void> {
    const watched = [
      { key: this.keys.leader, builder: () => this.client.watch().key(this.keys.leader) },
      { key: this.keys.switchover, builder: () => this.client.watch().key(this.keys.switchover) },
      // peers' member records carry their live-input counts, which the active compares with its own
      { key: this.keys.members, builder: () => this.client.watch().prefix(this.keys.members) },
    ];
    const watchers = watched.map(({ key, builder }) => {
      const watcher = builder().watcher();
      watcher.on('put', onChange);
      watcher.on('delete', onChange);
      watcher.on('connected', onChange);
      watcher.on('error', (error: Error) => onProblem(`watch of ${key} failed: ${error.message}`));
      return watcher;
    });
    return async () => {
      for (const watcher of watchers) await watcher.cancel().catch(() => undefined);
    };
  }
}

/** The parts of an etcd key-value this file reads. */
interface StoredKey {
  value: Buffer;
  lease: string;
}

function handoverReason(kv: StoredKey | undefined): HandoverReason | undefined {
  const value = kv?.value.toString();
  return value === 'switchover' || value === 'input_liveness' ? value : undefined;
}

function leaderKey(kv: StoredKey | undefined): LeaderKey | null {
  return kv === undefined ? null : { nodeId: kv.value.toString(), leaseId: kv.lease };
}
