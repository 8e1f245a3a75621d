// `mcrctl cluster`: this node's role, the leader and the members with their role, maintenance
// mode, live relay inputs and when each last refreshed its record, as GET /api/v1/cluster says.
import type { Command } from '../command';
import { formatAge } from '../format';
import { renderFields, renderTable } from '../table';

export interface ClusterMemberView {
  nodeId?: string;
  id?: string;
  role?: string;
  maintenance?: boolean;
  /** ISO 8601. */
  lastSeen?: string;
  /** Relays whose input is alive on the member; null when it does not report it. */
  liveInputs?: number | null;
  [key: string]: unknown;
}

/** The contract's `{ nodeId, role, leader, members }`; members may be ids or member objects. */
export interface ClusterView {
  nodeId: string;
  role: string;
  leader: string | null;
  members: Array<string | ClusterMemberView>;
}

function memberRow(entry: ClusterView['members'][number], leader: string | null, nowMs: number): string[] {
  const member: ClusterMemberView = typeof entry === 'string' ? { nodeId: entry } : entry;
  const id = String(member.nodeId ?? member.id ?? '?');
  const role = typeof member.role === 'string' ? member.role : id === leader ? 'active' : 'standby';
  const maintenance = typeof member.maintenance === 'boolean' ? (member.maintenance ? 'on' : 'off') : '-';
  const seenMs = typeof member.lastSeen === 'string' ? Date.parse(member.lastSeen) : Number.NaN;
  const liveInputs = typeof member.liveInputs === 'number' ? String(member.liveInputs) : '-';
  return [
    id,
    role,
    id === leader ? 'yes' : '',
    maintenance,
    liveInputs,
    Number.isNaN(seenMs) ? '-' : formatAge(seenMs, nowMs),
  ];
}

export function renderCluster(cluster: ClusterView, nowMs: number): string {
  const fields = renderFields([
    ['node', cluster.nodeId],
    ['role', cluster.role],
    ['leader', cluster.leader ?? 'none'],
  ]);
  const members = cluster.members ?? [];
  if (members.length === 0) return fields;
  const table = renderTable(
    [
      { header: 'MEMBER' },
      { header: 'ROLE' },
      { header: 'LEADER' },
      { header: 'MAINTENANCE' },
      { header: 'LIVE INPUTS' },
      { header: 'LAST SEEN' },
    ],
    members.map((member) => memberRow(member, cluster.leader, nowMs)),
  );
  return `${fields}\n${table}`;
}

export const clusterCommand: Command = {
  name: 'cluster',
  synopsis: 'cluster',
  summary: "Show this node's role, the leader and the members (role, maintenance, live inputs, last seen)",
  optionHelp: [],
  examples: ['mcrctl cluster', 'mcrctl --url http://10.0.0.2:8080 cluster --json'],
  options: {},
  positionals: { min: 0, max: 0, names: '' },
  async run(ctx) {
    const cluster = await ctx.client.getJson<ClusterView>('/api/v1/cluster');
    ctx.out.write(ctx.json ? `${JSON.stringify(cluster, null, 2)}\n` : renderCluster(cluster, Date.now()));
  },
};
