// `mcrctl cluster`: this node's role, the leader and the members with their role, maintenance
// mode, live relay inputs and when each last refreshed its record, as GET /api/v1/cluster says.
// With MCR_PLACEMENT=relay also how many relays each member owns, and the owner of each relay.
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
  /** Relay placement: relays the member owns. */
  owns?: number | null;
  [key: string]: unknown;
}

/** The contract's `{ nodeId, role, leader, members }`; members may be ids or member objects. */
export interface ClusterView {
  nodeId: string;
  role: string;
  leader: string | null;
  members: Array<string | ClusterMemberView>;
  placement?: string;
  /** Relay placement: relay id → owning node. */
  owners?: Record<string, string> | null;
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

/** Relay placement: members with how many relays each owns, then every relay with its owner. */
function renderRelayPlacement(cluster: ClusterView, owners: Record<string, string>, nowMs: number): string {
  const fields = renderFields([
    ['node', cluster.nodeId],
    ['role', cluster.role],
    ['placement', 'relay (each relay forwarded by its owner)'],
  ]);
  const members = renderTable(
    [
      { header: 'MEMBER' },
      { header: 'ROLE' },
      { header: 'OWNS' },
      { header: 'MAINTENANCE' },
      { header: 'LIVE INPUTS' },
      { header: 'LAST SEEN' },
    ],
    cluster.members.map((entry) => {
      const [id, role, , maintenance, liveInputs, seen] = memberRow(entry, null, nowMs);
      const owns = typeof entry === 'string' ? undefined : entry.owns;
      return [id, role, typeof owns === 'number' ? String(owns) : '-', maintenance, liveInputs, seen];
    }),
  );
  const relays = renderTable(
    [{ header: 'RELAY' }, { header: 'OWNER' }],
    Object.entries(owners).map(([relay, owner]) => [relay, owner]),
  );
  return `${fields}\n${members}\n${relays}`;
}

export function renderCluster(cluster: ClusterView, nowMs: number): string {
  if (cluster.placement === 'relay' && cluster.owners) return renderRelayPlacement(cluster, cluster.owners, nowMs);
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
  summary:
    "Show this node's role, the leader and the members (role, maintenance, live inputs, last seen); with relay placement, each relay's owner",
  optionHelp: [],
  examples: ['mcrctl cluster', 'mcrctl --url http://10.0.0.2:8080 cluster --json'],
  options: {},
  positionals: { min: 0, max: 0, names: '' },
  async run(ctx) {
    const cluster = await ctx.client.getJson<ClusterView>('/api/v1/cluster');
    ctx.out.write(ctx.json ? `${JSON.stringify(cluster, null, 2)}\n` : renderCluster(cluster, Date.now()));
  },
};
