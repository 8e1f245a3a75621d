// Shapes of the /api/v1 answers the dashboard reads, taken from mcrd's own response DTOs, so a
// change to the REST contract breaks the dashboard's type check rather than the page.
export type {
  NodeStatsDto as NodeStats,
  RelayStatsDto as RelayStats,
  OutputStatsDto as OutputStats,
  LegStatsDto as LegStats,
} from '../../../src/stats/stats.dto';
export type {
  RelayDiagnosticsDto as RelayDiagnostics,
  DiagnosticFindingDto as DiagnosticFinding,
} from '../../../src/diagnostics/diagnostics.dto';
export type { ClusterDto as ClusterView, ClusterMemberDto as ClusterMember } from '../../../src/cluster/cluster.dto';
export type { Relay } from '@mcr/model';
