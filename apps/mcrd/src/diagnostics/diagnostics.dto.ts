// Response DTOs of /api/v1/relays/:id/diagnostics and /api/v1/diagnostics: per relay, its state
// and the findings of the host checks (codes and severities declared in @mcr/contract).
import { diagnostics } from '@mcr/contract';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { RELAY_STATES, type RelayState } from '../reconciler/relay-state';
import type { Finding } from './diagnose';

const CODES = diagnostics.map((d) => d.code);
const SEVERITIES = [...new Set(diagnostics.map((d) => d.severity))];

export class DiagnosticFindingDto implements Finding {
  @ApiProperty({
    description: `Stable code of the check: ${diagnostics.map((d) => `\`${d.code}\` (${d.severity}) ${d.help}`).join(' ')}`,
    enum: CODES,
    example: 'rp-filter-strict',
  })
  code!: Finding['code'];
  @ApiProperty({ enum: SEVERITIES, example: 'error' })
  severity!: Finding['severity'];
  @ApiProperty({
    description: 'What is wrong, naming the interface, address or setting.',
    example:
      'strict reverse-path filtering (net.ipv4.conf.{all,eth0}.rp_filter, effective 1) drops datagrams from SSM source 10.0.0.5: the route back to it leaves by eth1, not eth0',
  })
  message!: string;
  @ApiProperty({
    description: 'What to change.',
    example: 'set net.ipv4.conf.all.rp_filter=2 and net.ipv4.conf.eth0.rp_filter=2 (loose), or route 10.0.0.5 via eth0',
  })
  action!: string;
}

export class RelayDiagnosticsDto {
  @ApiProperty({ example: '3f6c1a52-4d4b-4f0e-9a47-0d8f6e2b7c11' })
  id!: string;
  @ApiProperty({ example: 'market-feed-a' })
  name!: string;
  @ApiProperty({ description: 'What this node does with the relay (as in stats).', enum: RELAY_STATES })
  state!: RelayState;
  @ApiPropertyOptional({ description: 'Why the relay is not forwarding (as in stats).' })
  reason?: string;
  @ApiProperty({ description: 'Findings, errors first; empty when every check passed.', type: [DiagnosticFindingDto] })
  findings!: DiagnosticFindingDto[];
}

export class NodeDiagnosticsDto {
  @ApiProperty({ example: 'relay-a' })
  nodeId!: string;
  @ApiProperty({ description: 'When the host was read (ISO 8601).', example: '2026-12-04T12:00:00.000Z' })
  checkedAt!: string;
  @ApiProperty({ type: [RelayDiagnosticsDto] })
  relays!: RelayDiagnosticsDto[];
}
