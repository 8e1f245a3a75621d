// /api/v1/cluster: who this node is and who leads; planned switchover and maintenance mode.
import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ErrorDto } from '../http/error.dto';
import { WriteResponses } from '../openapi/write-responses';
import { AcceptedDto, ClusterDto, MaintenanceDto, SwitchoverDto } from './cluster.dto';
import { ClusterService } from './cluster.service';

@ApiTags('cluster')
@Controller('api/v1/cluster')
export class ClusterController {
  constructor(private readonly cluster: ClusterService) {}

  @Get()
  @ApiOperation({ summary: "This node's id and role, the leader and the members" })
  @ApiOkResponse({ type: ClusterDto, description: 'Cluster view of this node.' })
  @ApiUnauthorizedResponse({
    description: 'MCR_API_TOKEN_READ is set and the request has no valid token.',
    type: ErrorDto,
  })
  get(): ClusterDto {
    return this.cluster.describe();
  }

  @Post('switchover')
  @HttpCode(202)
  @ApiOperation({ summary: 'Planned handover: the active node stops forwarding, then the named node takes over' })
  @ApiAcceptedResponse({
    type: AcceptedDto,
    description: 'Requested; the named node becomes active within the lease time.',
  })
  @ApiBadRequestResponse({
    type: ErrorDto,
    description: '`to` missing or not a node id, malformed JSON, or a body nested too deep.',
  })
  @ApiNotFoundResponse({ type: ErrorDto, description: '`to` is not a member of the cluster.' })
  @ApiConflictResponse({
    type: ErrorDto,
    description: 'Not possible now: no cluster, target in maintenance or already active.',
  })
  @ApiUnauthorizedResponse({ description: 'MCR_API_TOKEN is set and the request has no valid token.', type: ErrorDto })
  @WriteResponses({ body: true })
  async switchover(@Body() body: SwitchoverDto): Promise<AcceptedDto> {
    await this.cluster.switchover(body.to);
    return { message: `switchover to ${body.to} requested` };
  }

  @Post('maintenance')
  @HttpCode(202)
  @ApiOperation({ summary: 'Maintenance mode of this node: it stops campaigning; if active it hands over first' })
  @ApiAcceptedResponse({ type: AcceptedDto, description: 'Applied; an active node hands over within the lease time.' })
  @ApiBadRequestResponse({
    type: ErrorDto,
    description: '`enabled` missing or not a boolean, malformed JSON, or a body nested too deep.',
  })
  @ApiConflictResponse({ type: ErrorDto, description: 'Not possible now: no cluster, or no standby to hand over to.' })
  @ApiUnauthorizedResponse({ description: 'MCR_API_TOKEN is set and the request has no valid token.', type: ErrorDto })
  @WriteResponses({ body: true })
  async maintenance(@Body() body: MaintenanceDto): Promise<AcceptedDto> {
    await this.cluster.maintenance(body.enabled);
    return { message: `maintenance mode ${body.enabled ? 'on' : 'off'}` };
  }
}
