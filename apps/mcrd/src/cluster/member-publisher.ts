// Writes this node's member record (GET /api/v1/cluster) only when it says something new: a changed
// role or maintenance flag, a new lease, or a lastSeen older than the refresh interval. Every put is
// a raft write with an fsync on each etcd member, and relay writes queue behind them.
import type { MemberRecord } from './leadership-store';

export interface MemberPublisherOptions {
  /** The actual etcd put, attached to `leaseId` (so the record vanishes with the lease). */
  publish(record: MemberRecord, leaseId: string): Promise<void>;
  /** lastSeen is refreshed at least this often while nothing else changes. */
  refreshMs: number;
  /** Monotonic milliseconds; injectable for tests. */
  now?: () => number;
}

export class MemberPublisher {
  private last?: { content: string; leaseId: string; atMs: number };

  constructor(private readonly options: MemberPublisherOptions) {}

  /** Publishes `record` when it differs from the last one written or that one is getting old. */
  async maybePublish(record: MemberRecord, leaseId: string): Promise<boolean> {
    const nowMs = (this.options.now ?? monotonicMs)();
    const content = JSON.stringify({ ...record, lastSeen: undefined });
    const last = this.last;
    if (
      last !== undefined &&
      last.content === content &&
      last.leaseId === leaseId &&
      nowMs - last.atMs < this.options.refreshMs
    ) {
      return false;
    }
    await this.options.publish(record, leaseId);
    this.last = { content, leaseId, atMs: nowMs };
    return true;
  }
}

function monotonicMs(): number {
  return performance.now();
}
