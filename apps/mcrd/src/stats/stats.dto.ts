// Response DTOs of /api/v1/stats and /api/v1/relays/:id/stats: engine counters (declared in
// @mcr/contract, see counter-views.ts) plus state and rates.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { counterDto, withErrnoTables } from './counter-dto';
import { DROPS_SHOWN, LEG_SHOWN, OUTPUT_SHOWN, RELAY_SHOWN } from './counter-views';
import { RELAY_STATES, type RelayState } from '../reconciler/relay-state';

/** The relay's drop-like counters, and the output drops summed over its outputs. */
export const DropsDto = counterDto('DropsDto', DROPS_SHOWN, (counter) =>
  counter.scope === 'output' ? `${counter.help.replace(/\.$/, '')}, summed over the relay's outputs.` : counter.help,
);
export type DropsDto = InstanceType<typeof DropsDto>;

export class OutputStatsDto extends withErrnoTables(counterDto('OutputCountersDto', OUTPUT_SHOWN), OUTPUT_SHOWN) {
  @ApiProperty({ description: 'Position of the output in the relay.', example: 0 })
  index!: number;
  @ApiProperty({ example: 'eth1' })
  interface!: string;
  @ApiProperty({ example: '239.2.2.2' })
  group!: string;
  @ApiProperty({ example: 6000 })
  port!: number;
  @ApiProperty({
    description: 'Time of the last send (ISO 8601), null if never.',
    example: '2026-11-28T12:00:00.000Z',
    nullable: true,
    type: String,
  })
  lastPacketAt!: string | null;
  @ApiProperty({ description: 'Datagrams per second over the rate window.', example: 20000 })
  packetsPerSecond!: number;
  @ApiProperty({ description: 'Payload bits per second over the rate window.', example: 213000000 })
  bitsPerSecond!: number;
}

export class LegStatsDto extends counterDto('LegCountersDto', LEG_SHOWN) {
  @ApiProperty({ description: 'Which leg: a = input, b = redundancy.input.', enum: ['a', 'b'], example: 'a' })
  leg!: 'a' | 'b';
  @ApiProperty({ example: 'eth2' })
  interface!: string;
  @ApiProperty({ example: '239.1.2.1' })
  group!: string;
  @ApiProperty({ example: 5000 })
  port!: number;
  @ApiProperty({
    description: 'Milliseconds since the leg last received a datagram; null if never.',
    example: 3,
    nullable: true,
    type: Number,
  })
  silentForMs!: number | null;
  @ApiProperty({ description: 'Datagrams received per second on the leg.', example: 10000 })
  packetsPerSecond!: number;
  @ApiProperty({ description: 'Payload bits received per second on the leg.', example: 106000000 })
  bitsPerSecond!: number;
}

export class RelayStatsDto extends counterDto('RelayCountersDto', RELAY_SHOWN) {
  @ApiProperty({ example: '3f6c1a52-4d4b-4f0e-9a47-0d8f6e2b7c11' })
  id!: string;
  @ApiProperty({ example: 'market-feed-a' })
  name!: string;
  @ApiProperty({
    description:
      'What this node does with the relay. `waiting`: an interface of the relay is down or gone; the relay resumes by itself when it is back.',
    enum: RELAY_STATES,
    example: 'forwarding',
  })
  state!: RelayState;
  @ApiPropertyOptional({
    description:
      'Why the relay is not forwarding: the engine refused it (state failed) or it waits for an interface (state waiting).',
    example: "input.interface 'eth9': no such interface",
  })
  reason?: string;
  @ApiProperty({ type: DropsDto })
  drops!: DropsDto;
  @ApiProperty({
    description: 'Time of the last received datagram (ISO 8601), null if never.',
    example: '2026-11-28T12:00:00.000Z',
    nullable: true,
    type: String,
  })
  lastPacketAt!: string | null;
  @ApiProperty({
    description:
      'Effective receive buffer of the ingress socket, bytes, as SO_RCVBUF reads (Linux doubles the request); 0 while no ingress socket is open.',
    example: 8388608,
  })
  rcvbufBytes!: number;
  @ApiProperty({
    description:
      'MCR_PLACEMENT=relay: the node that owns (forwards) the relay, null while nobody does; with node placement, ' +
      'the active node (null while there is none).',
    example: 'relay-a',
    nullable: true,
    type: String,
  })
  owner!: string | null;
  @ApiProperty({
    description:
      "The relay's interfaces (this host's names, after MCR_INTERFACE_MAP) that are down or gone; non-empty = state waiting.",
    type: [String],
    example: [],
  })
  interfacesDown!: string[];
  @ApiProperty({
    description:
      'Who forwards the relay on this node: the worker threads (socket) or the tc program in the receive softirq (ebpf, MCR_ENGINE_DATAPATH).',
    enum: ['socket', 'ebpf'],
    example: 'ebpf',
  })
  datapath!: 'socket' | 'ebpf';
  @ApiPropertyOptional({
    description:
      'Present when MCR_ENGINE_DATAPATH asked for eBPF and the relay runs on sockets: why (IPv6, a unicast output, more than 16 outputs, an interface down, eBPF unavailable on this host).',
    example: "outputs[0].group: unicast destinations need the neighbour's MAC; the socket path sends them",
  })
  datapathReason?: string;
  @ApiProperty({ description: 'Seconds the rates are computed over (about 5).', example: 5 })
  rateWindowSeconds!: number;
  @ApiProperty({ description: 'Datagrams received per second.', example: 20000 })
  packetsInPerSecond!: number;
  @ApiProperty({ description: 'Payload bits received per second.', example: 213000000 })
  bitsInPerSecond!: number;
  @ApiProperty({ type: [OutputStatsDto] })
  outputs!: OutputStatsDto[];
  @ApiProperty({
    description: 'Input legs of a relay with `redundancy` (a = input, b = redundancy.input); empty for a plain relay.',
    type: [LegStatsDto],
  })
  legs!: LegStatsDto[];
  @ApiProperty({
    description: 'Failover mode: the leg being forwarded; null in merge mode and for a plain relay.',
    enum: ['a', 'b'],
    nullable: true,
    type: String,
    example: null,
  })
  activeLeg!: 'a' | 'b' | null;
}

export class StatsTotalsDto {
  @ApiProperty({ example: 3 })
  relays!: number;
  @ApiProperty({ example: 1200000 })
  packetsIn!: number;
  @ApiProperty({ example: 1600000000 })
  bytesIn!: number;
  @ApiProperty({ description: 'Datagrams sent, summed over all outputs.', example: 2400000 })
  packetsOut!: number;
  @ApiProperty({ example: 3200000000 })
  bytesOut!: number;
  @ApiProperty({ description: 'All drops and send errors.', example: 0 })
  drops!: number;
  @ApiProperty({ example: 20000 })
  packetsInPerSecond!: number;
  @ApiProperty({ example: 213000000 })
  bitsInPerSecond!: number;
  @ApiProperty({ example: 40000 })
  packetsOutPerSecond!: number;
  @ApiProperty({ example: 426000000 })
  bitsOutPerSecond!: number;
}

export class NodeStatsDto {
  @ApiProperty({ example: 'relay-a' })
  nodeId!: string;
  @ApiProperty({ enum: ['active', 'standby'], example: 'active' })
  role!: string;
  @ApiProperty({ type: StatsTotalsDto })
  totals!: StatsTotalsDto;
  @ApiProperty({ type: [RelayStatsDto] })
  relays!: RelayStatsDto[];
}
