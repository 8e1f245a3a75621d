// GET /api/v1/cluster: who this node is and who leads.
import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ErrorDto } from '../http/error.dto';
import { ClusterDto } from './cluster.dto';
import { ClusterService } from './cluster.service';

@ApiTags('cluster')
@Controller('api/v1/cluster')
export class ClusterController {
  constructor(private readonly cluster: ClusterService) {}

  @Get()
  @ApiOperation({ summary: "This node's id and role, the leader and the members" })
  @ApiOkResponse({ type: ClusterDto, description: 'Cluster view of this node.' })
  @ApiUnauthorizedResponse({ description: 'MCR_API_TOKEN_READ is set and the request has no valid token.', type: ErrorDto })
  get(): ClusterDto {
    return this.cluster.describe();
  }
}
