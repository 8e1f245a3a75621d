// What an HA node needs from the shared store to lead: the leader key, planned handovers, its
// maintenance flag and the member records. etcd implements it (etcd-leadership-store.ts); tests use a fake.
import type { LeaderKey } from './ha-decision';

/** The leader key and a pending switchover, read together. */
export interface LeadershipView {
  leaderKey: LeaderKey | null;
  /** The node a pending planned handover names; null when there is none. */
  switchoverTo: string | null;
  /** Why that handover was asked for; absent when none is pending or an older node asked. */
  switchoverReason?: HandoverReason;
}

/** Who asked for a planned handover: an operator, or the active node because of its inputs. */
export type HandoverReason = 'switchover' | 'input_liveness';

export interface MemberRecord {
  nodeId: string;
  role: 'active' | 'standby';
  maintenance: boolean;
  /** When the member last wrote its record (ISO 8601). */
  lastSeen: string;
  /** Relays whose input is alive on this node; absent on nodes that do not report it. */
  liveInputs?: number;
  /** MCR_PLACEMENT of the node; absent on nodes older than relay placement (they place by node). */
  placement?: Placement;
  /** Relay placement: relays whose input is not alive on this node (silent, or nothing received). */
  silentInputs?: string[];
  /** Relay placement: how many relays this node owns. */
  owns?: number;
}

/** MCR_PLACEMENT: one active node forwards every relay, or each relay has its own owner. */
export type Placement = 'node' | 'relay';

/** One node's access to leadership; every method may reject while the store is unreachable. */
export interface LeadershipStore {
  observe(): Promise<LeadershipView>;
  /**
   * Takes the leader key on `leaseId` if it is free and no handover names another node; a handover
   * naming this node is consumed at the same time. Resolves what the store holds afterwards.
   */
  campaign(leaseId: string): Promise<LeadershipView>;
  /** Deletes the leader key if it is still on `leaseId`. */
  resign(leaseId: string): Promise<void>;
  /** Names the node that should lead next, and why; the request lapses after `ttlS` if it never takes it. */
  requestSwitchover(to: string, ttlS: number, reason: HandoverReason): Promise<void>;
  readMaintenance(): Promise<boolean>;
  /** Persisted without a lease: a restarted node stays out of elections. */
  writeMaintenance(enabled: boolean): Promise<void>;
  /** Attached to `leaseId`, so the record vanishes with the lease. */
  publishMember(record: MemberRecord, leaseId: string): Promise<void>;
  members(): Promise<MemberRecord[]>;
  /**
   * Calls `onChange` when the leader key, the switchover request or a member record changes (and
   * on every (re)connection); returns what cancels the watch.
   */
  watch(onChange: () => void, onProblem: (message: string) => void): () => Promise<void>;
}
