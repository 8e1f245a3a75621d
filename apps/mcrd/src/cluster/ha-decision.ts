// The HA role decision as a pure function: from what this node knows now (its lease and fencing
// deadline, the leader key, maintenance, a pending switchover) to its engine's role and the one
// etcd action that moves leadership on. ha-node.ts gathers the facts and carries the decision out.
import type { OnStoreLoss } from '../config/config.types';

/** The leader key as last read from etcd: who wrote it, on which lease. */
export interface LeaderKey {
  nodeId: string;
  leaseId: string;
}

export interface HaFacts {
  nodeId: string;
  onStoreLoss: OnStoreLoss;
  /** Monotonic now, nanoseconds (process.hrtime.bigint() in production). */
  nowNs: bigint;
  /** This node's lease; undefined before etcd granted one and once etcd said it is gone. */
  leaseId: string | undefined;
  /** Forwarding is safe before this monotonic time: send time of the last acknowledged renewal + TTL − margin. */
  fenceDeadlineNs: bigint | undefined;
  /** null when nobody holds the leader key. */
  leaderKey: LeaderKey | null;
  /** The node a pending planned handover names; null when there is none (or it lapsed). */
  switchoverTo: string | null;
  /** The persisted maintenance flag; undefined until it has been read. */
  maintenance: boolean | undefined;
  /** SIGTERM: the node is shutting down. */
  stopping: boolean;
}

/** campaign: take the free leader key. resign: release it (after the engine stopped forwarding). */
export type HaAction = 'campaign' | 'resign';

export interface HaDecision {
  role: 'active' | 'standby';
  /** Why, in the operator's words: logged with every role change. */
  reason: string;
  /** The etcd step to take once the role is applied; undefined when leadership should stay as it is. */
  action?: HaAction;
  /** The node holds the leader key but no renewal was acknowledged in time (mcr_fenced). */
  fenced: boolean;
}

export function decideRole(facts: HaFacts): HaDecision {
  if (facts.stopping) return standby('shutting down');
  if (facts.leaseId === undefined) return standby('no lease: etcd has not granted one, or it expired');
  return holdsLeaderKey(facts) ? decideAsHolder(facts) : decideAsCandidate(facts);
}

/** The key is this node's only on its current lease: a key left by an old lease dies with that lease. */
function holdsLeaderKey(facts: HaFacts): boolean {
  return facts.leaderKey?.nodeId === facts.nodeId && facts.leaderKey.leaseId === facts.leaseId;
}

/** MCR_ON_STORE_LOSS=keep trusts the lease until etcd says it is gone; standby only until the deadline. */
function leaseTrusted(facts: HaFacts): boolean {
  if (facts.onStoreLoss === 'keep') return true;
  return facts.fenceDeadlineNs !== undefined && facts.nowNs < facts.fenceDeadlineNs;
}

function decideAsHolder(facts: HaFacts): HaDecision {
  if (facts.maintenance === true) return standby('maintenance mode', 'resign');
  const to = facts.switchoverTo;
  if (to !== null && to !== facts.nodeId) return standby(`switchover to ${to}`, 'resign');
  if (!leaseTrusted(facts)) {
    return { ...standby('fenced: no lease renewal acknowledged in time (etcd unreachable?)'), fenced: true };
  }
  return { role: 'active', reason: 'holds the leader key on a live lease', fenced: false };
}

function decideAsCandidate(facts: HaFacts): HaDecision {
  if (facts.leaderKey !== null) return standby(`the leader is ${facts.leaderKey.nodeId}`);
  if (facts.maintenance === undefined) return standby('maintenance flag not read yet: not campaigning');
  if (facts.maintenance) return standby('maintenance mode: not campaigning');
  const to = facts.switchoverTo;
  if (to !== null && to !== facts.nodeId) return standby(`switchover to ${to} pending: only ${to} may take the key`);
  return standby('the leader key is free', 'campaign');
}

function standby(reason: string, action?: HaAction): HaDecision {
  return { role: 'standby', reason, action, fenced: false };
}
