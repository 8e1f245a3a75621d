// Response DTO of GET /api/v1/cluster.
import { ApiProperty } from '@nestjs/swagger';

export class ClusterMemberDto {
  @ApiProperty({ description: 'Node id (MCR_NODE_ID).', example: 'relay-a' })
  nodeId!: string;
  @ApiProperty({ description: 'active forwards; standby has relays armed but sends nothing.', enum: ['active', 'standby'], example: 'active' })
  role!: 'active' | 'standby';
}

export class ClusterDto {
  @ApiProperty({ description: 'This node (MCR_NODE_ID).', example: 'relay-a' })
  nodeId!: string;
  @ApiProperty({ description: "This node's role.", enum: ['active', 'standby'], example: 'active' })
  role!: 'active' | 'standby';
  @ApiProperty({ description: 'Node id of the leader (the active node); null while there is none.', example: 'relay-a', nullable: true, type: String })
  leader!: string | null;
  @ApiProperty({ description: 'Nodes of the cluster.', type: [ClusterMemberDto] })
  members!: ClusterMemberDto[];
}
