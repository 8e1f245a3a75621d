// Response DTOs of /api/v1/querier and /api/v1/membership: the IGMP/MLD querier of each
// interface and the groups hosts reported there. Times are milliseconds from the response.
import { ApiProperty } from '@nestjs/swagger';

export class QuerierTimersDto {
  @ApiProperty({ description: 'General query interval (MCR_QUERIER_INTERVAL_S).', example: 125000 })
  queryIntervalMs!: number;
  @ApiProperty({
    description: 'Max response time in general queries: 10 s, at most half the interval.',
    example: 10000,
  })
  queryResponseIntervalMs!: number;
  @ApiProperty({ description: 'Robustness variable (RFC default).', example: 2 })
  robustness!: number;
  @ApiProperty({ description: 'How long a report keeps a group: robustness x interval + response.', example: 260000 })
  groupMembershipIntervalMs!: number;
  @ApiProperty({ description: 'How long a lower-address querier silences this one.', example: 255000 })
  otherQuerierPresentIntervalMs!: number;
  @ApiProperty({ description: 'How long a group lives after a leave unless a member answers.', example: 2000 })
  lastMemberQueryTimeMs!: number;
}

export class QuerierInterfaceDto {
  @ApiProperty({ description: 'Interface name.', example: 'eth1' })
  interface!: string;
  @ApiProperty({ description: 'igmp (IPv4) or mld (IPv6).', enum: ['igmp', 'mld'], example: 'igmp' })
  protocol!: 'igmp' | 'mld';
  @ApiProperty({ description: 'False while the interface is missing; it is used once it appears.', example: true })
  up!: boolean;
  @ApiProperty({
    description:
      'querier: this node sends the queries; non-querier: a querier with a lower address is present; ' +
      'standby: this node is the HA standby and only listens; no-address: the interface has no source address yet.',
    enum: ['querier', 'non-querier', 'standby', 'no-address'],
    example: 'querier',
  })
  state!: 'querier' | 'non-querier' | 'standby' | 'no-address';
  @ApiProperty({ description: 'Version of the queries sent (IGMP 1..3, MLD 1..2).', example: 3 })
  version!: number;
  @ApiProperty({ description: 'Source address of the queries.', example: '10.0.1.1', nullable: true, type: String })
  address!: string | null;
  @ApiProperty({
    description: 'The lower-address querier this node stood down for.',
    example: null,
    nullable: true,
    type: String,
  })
  otherQuerier!: string | null;
  @ApiProperty({
    description: 'When this node takes over unless the other querier queries again.',
    example: null,
    nullable: true,
    type: Number,
  })
  otherQuerierExpiresInMs!: number | null;
  @ApiProperty({ description: 'When the next general query leaves (querier only).', nullable: true, type: Number })
  nextQueryInMs!: number | null;
  @ApiProperty({ description: 'General queries sent.', example: 12 })
  generalQueriesSent!: number;
  @ApiProperty({ description: 'Group-specific queries sent after leaves.', example: 2 })
  groupQueriesSent!: number;
  @ApiProperty({ description: 'Membership reports, leaves and dones received.', example: 30 })
  reportsReceived!: number;
  @ApiProperty({ description: 'Queries received from other queriers.', example: 0 })
  queriesReceived!: number;
}

export class QuerierDto {
  @ApiProperty({ description: 'True when MCR_QUERIER_INTERFACES names interfaces.', example: true })
  enabled!: boolean;
  @ApiProperty({ description: 'True when this node may query (single node, or the HA active node).', example: true })
  active!: boolean;
  @ApiProperty({ description: 'The interfaces the querier serves (MCR_QUERIER_INTERFACES).', example: ['eth1'] })
  configuredInterfaces!: string[];
  @ApiProperty({ description: 'The RFC timers derived from the interval.', type: QuerierTimersDto })
  timers!: QuerierTimersDto;
  @ApiProperty({ description: 'One entry per interface and protocol.', type: [QuerierInterfaceDto] })
  interfaces!: QuerierInterfaceDto[];
}

export class MembershipSourceDto {
  @ApiProperty({ description: 'Source address (IGMPv3/MLDv2 INCLUDE mode).', example: '10.9.0.1' })
  source!: string;
  @ApiProperty({ description: 'When the source goes unless a member asks for it again.', example: 250000 })
  expiresInMs!: number;
}

export class MembershipGroupDto {
  @ApiProperty({ description: 'Group address.', example: '239.1.1.1' })
  group!: string;
  @ApiProperty({
    description: 'include: only `sources`; exclude: every source but `excludedSources`.',
    enum: ['include', 'exclude'],
    example: 'exclude',
  })
  mode!: 'include' | 'exclude';
  @ApiProperty({ description: 'When the group goes unless a member reports again.', example: 258000 })
  expiresInMs!: number;
  @ApiProperty({ description: 'Oldest protocol version a member used within the membership interval.', example: 3 })
  compatibilityVersion!: number;
  @ApiProperty({ description: 'Address of the host that reported last.', example: '10.0.1.20' })
  lastReporter!: string;
  @ApiProperty({ description: 'Sources asked for, with their timers.', type: [MembershipSourceDto] })
  sources!: MembershipSourceDto[];
  @ApiProperty({ description: 'Sources the members do not want (EXCLUDE mode).', example: [] })
  excludedSources!: string[];
}

export class MembershipInterfaceDto {
  @ApiProperty({ description: 'Interface name.', example: 'eth1' })
  interface!: string;
  @ApiProperty({ description: 'igmp (IPv4) or mld (IPv6).', enum: ['igmp', 'mld'], example: 'igmp' })
  protocol!: 'igmp' | 'mld';
  @ApiProperty({ description: 'Groups reported on the interface.', type: [MembershipGroupDto] })
  groups!: MembershipGroupDto[];
}

export class MembershipDto {
  @ApiProperty({ description: 'True when MCR_QUERIER_INTERFACES names interfaces.', example: true })
  enabled!: boolean;
  @ApiProperty({ description: 'One entry per interface and protocol.', type: [MembershipInterfaceDto] })
  interfaces!: MembershipInterfaceDto[];
}
