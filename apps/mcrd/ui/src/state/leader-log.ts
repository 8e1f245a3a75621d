// Leadership changes this page has seen between two cluster polls, newest first. The API
// reports who leads now, not a failover history, so the log starts when the page opens.
import type { ClusterView } from '../api/types';

export const LEADER_LOG_LENGTH = 20;

export interface LeaderChange {
  atMs: number;
  from: string | null;
  to: string | null;
}

export function noteLeader(
  log: LeaderChange[],
  previous: ClusterView | undefined,
  current: ClusterView,
  atMs: number,
): LeaderChange[] {
  if (previous === undefined || previous.leader === current.leader) return log;
  return [{ atMs, from: previous.leader, to: current.leader }, ...log].slice(0, LEADER_LOG_LENGTH);
}
