// `mcrctl membership`: the IGMP/MLD querier of each interface (elected or not, version, next
// query) and the groups hosts reported there with their sources and timers, as
// GET /api/v1/querier and GET /api/v1/membership say; what `smcroutectl show` gives kernel users.
import type { Command } from '../command';
import { renderTable } from '../table';

interface QuerierInterfaceView {
  interface: string;
  protocol: string;
  up: boolean;
  state: string;
  version: number;
  address: string | null;
  otherQuerier: string | null;
  nextQueryInMs: number | null;
}

export interface QuerierView {
  enabled: boolean;
  active: boolean;
  timers: { queryIntervalMs: number; groupMembershipIntervalMs: number };
  interfaces: QuerierInterfaceView[];
}

interface GroupView {
  group: string;
  mode: string;
  expiresInMs: number;
  compatibilityVersion: number;
  lastReporter: string;
  sources: Array<{ source: string; expiresInMs: number }>;
  excludedSources: string[];
}

export interface MembershipView {
  enabled: boolean;
  interfaces: Array<{ interface: string; protocol: string; groups: GroupView[] }>;
}

const seconds = (ms: number | null): string => (ms === null ? '-' : `${Math.ceil(ms / 1000)}s`);

/** INCLUDE lists the sources asked for; EXCLUDE means any source but the excluded ones. */
function sourcesCell(group: GroupView): string {
  if (group.mode === 'include') return group.sources.map((s) => s.source).join(',');
  return group.excludedSources.length === 0 ? 'any' : `any except ${group.excludedSources.join(',')}`;
}

function querierTable(querier: QuerierView): string {
  return renderTable(
    [
      { header: 'INTERFACE' },
      { header: 'PROTOCOL' },
      { header: 'STATE' },
      { header: 'VERSION' },
      { header: 'ADDRESS' },
      { header: 'OTHER QUERIER' },
      { header: 'NEXT QUERY' },
    ],
    querier.interfaces.map((link) => [
      link.interface,
      link.protocol,
      link.up ? link.state : 'down',
      `v${link.version}`,
      link.address ?? '-',
      link.otherQuerier ?? '-',
      seconds(link.nextQueryInMs),
    ]),
  );
}

function groupTable(membership: MembershipView): string {
  const rows = membership.interfaces.flatMap((link) =>
    link.groups.map((group) => [
      link.interface,
      link.protocol,
      group.group,
      group.mode,
      sourcesCell(group),
      seconds(group.expiresInMs),
      `v${group.compatibilityVersion}`,
      group.lastReporter,
    ]),
  );
  if (rows.length === 0) return 'no group reported\n';
  return renderTable(
    [
      { header: 'INTERFACE' },
      { header: 'PROTOCOL' },
      { header: 'GROUP' },
      { header: 'MODE' },
      { header: 'SOURCES' },
      { header: 'EXPIRES' },
      { header: 'VERSION' },
      { header: 'LAST REPORTER' },
    ],
    rows,
  );
}

export function renderMembership(querier: QuerierView, membership: MembershipView): string {
  if (!querier.enabled) return 'querier off (MCR_QUERIER_INTERFACES is unset): no membership is tracked\n';
  return `${querierTable(querier)}\n${groupTable(membership)}`;
}

export const membershipCommand: Command = {
  name: 'membership',
  synopsis: 'membership',
  summary: 'Show the IGMP/MLD querier of each interface and the groups hosts reported, with their timers',
  optionHelp: [],
  examples: ['mcrctl membership', 'mcrctl membership --json'],
  options: {},
  positionals: { min: 0, max: 0, names: '' },
  async run(ctx) {
    const querier = await ctx.client.getJson<QuerierView>('/api/v1/querier');
    const membership = await ctx.client.getJson<MembershipView>('/api/v1/membership');
    ctx.out.write(
      ctx.json ? `${JSON.stringify({ querier, membership }, null, 2)}\n` : renderMembership(querier, membership),
    );
  },
};
