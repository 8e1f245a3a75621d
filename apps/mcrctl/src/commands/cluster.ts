// `mcrctl cluster`: this node's role, the leader and the members, as GET /api/v1/cluster says.
import type { Command } from '../command';
import { renderFields, renderTable } from '../table';

/** The contract's `{ nodeId, role, leader, members }`; members may be ids or member objects. */
export interface ClusterView {
  nodeId: string;
  role: string;
  leader: string | null;
  members: Array<string | { nodeId?: string; id?: string; role?: string; [key: string]: unknown }>;
}

function memberRow(member: ClusterView['members'][number], leader: string | null): string[] {
  const id = typeof member === 'string' ? member : String(member.nodeId ?? member.id ?? '?');
  const role =
    typeof member === 'object' && typeof member.role === 'string' ? member.role : id === leader ? 'active' : 'standby';
  return [id, role, id === leader ? 'yes' : ''];
}

export function renderCluster(cluster: ClusterView): string {
  const fields = renderFields([
    ['node', cluster.nodeId],
    ['role', cluster.role],
    ['leader', cluster.leader ?? 'none'],
  ]);
  const members = cluster.members ?? [];
  if (members.length === 0) return fields;
  const table = renderTable(
    [{ header: 'MEMBER' }, { header: 'ROLE' }, { header: 'LEADER' }],
    members.map((member) => memberRow(member, cluster.leader)),
  );
  return `${fields}\n${table}`;
}

export const clusterCommand: Command = {
  name: 'cluster',
  synopsis: 'cluster',
  summary: "Show this node's role, the leader and the cluster members",
  optionHelp: [],
  examples: ['mcrctl cluster', 'mcrctl --url http://10.0.0.2:8080 cluster --json'],
  options: {},
  positionals: { min: 0, max: 0, names: '' },
  async run(ctx) {
    const cluster = await ctx.client.getJson<ClusterView>('/api/v1/cluster');
    ctx.out.write(ctx.json ? `${JSON.stringify(cluster, null, 2)}\n` : renderCluster(cluster));
  },
};
