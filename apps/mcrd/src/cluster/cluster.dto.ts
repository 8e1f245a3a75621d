// Request and response DTOs of /api/v1/cluster: the cluster view, switchover and maintenance.
import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean, IsString, Matches } from 'class-validator';
import { ClosedSchema } from '../openapi/closed-schema';

export class ClusterMemberDto {
  @ApiProperty({ description: 'Node id (MCR_NODE_ID).', example: 'relay-a' })
  nodeId!: string;
  @ApiProperty({
    description: 'active forwards; standby has relays armed but sends nothing.',
    enum: ['active', 'standby'],
    example: 'active',
  })
  role!: 'active' | 'standby';
  @ApiProperty({ description: 'True while the node does not campaign for leadership.', example: false })
  maintenance!: boolean;
  @ApiProperty({
    description: 'When the member last refreshed its record (ISO 8601).',
    example: '2026-11-28T12:00:00.000Z',
  })
  lastSeen!: string;
  @ApiProperty({
    description:
      "Relays whose input is alive on the node (a datagram within the input's silence threshold); the " +
      'active hands over to a node that has had strictly more for the hold-down time. null: alone ' +
      '(file store) or a node that does not report it.',
    example: 12,
    nullable: true,
    type: Number,
  })
  liveInputs!: number | null;
  @ApiProperty({
    description: 'MCR_PLACEMENT=relay: how many relays the node owns (forwards). null: node placement, or alone.',
    example: 2,
    nullable: true,
    type: Number,
  })
  owns!: number | null;
}

export class ClusterDto {
  @ApiProperty({ description: 'This node (MCR_NODE_ID).', example: 'relay-a' })
  nodeId!: string;
  @ApiProperty({ description: "This node's role.", enum: ['active', 'standby'], example: 'active' })
  role!: 'active' | 'standby';
  @ApiProperty({
    description: 'Node id of the leader (the active node); null while there is none.',
    example: 'relay-a',
    nullable: true,
    type: String,
  })
  leader!: string | null;
  @ApiProperty({
    description:
      'MCR_PLACEMENT: node (one active node forwards every relay) or relay (each relay is forwarded by the one node that owns it).',
    enum: ['node', 'relay'],
    example: 'node',
  })
  placement!: 'node' | 'relay';
  @ApiProperty({ description: 'Nodes of the cluster (members whose lease is alive).', type: [ClusterMemberDto] })
  members!: ClusterMemberDto[];
  @ApiProperty({
    description: 'MCR_PLACEMENT=relay: the node owning each relay (relay id → node id); null with node placement.',
    example: { 'feed-a': 'relay-a', 'feed-b': 'relay-b' },
    nullable: true,
    type: 'object',
    additionalProperties: { type: 'string' },
  })
  owners!: Record<string, string> | null;
}

@ClosedSchema()
export class SwitchoverDto {
  @ApiProperty({ description: 'Node id that should become active.', example: 'relay-b' })
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, {
    message: 'to must be a node id (1..63 letters, digits, ".", "_" or "-")',
  })
  to!: string;
}

@ClosedSchema()
export class MaintenanceDto {
  @ApiProperty({
    description: 'true: this node stops campaigning (an active node hands over first); false: it campaigns again.',
    example: true,
  })
  @IsBoolean({ message: 'enabled must be true or false' })
  enabled!: boolean;
}

export class AcceptedDto {
  @ApiProperty({
    description: 'What was accepted; the role change follows within the lease time.',
    example: 'switchover to relay-b requested',
  })
  message!: string;
}
