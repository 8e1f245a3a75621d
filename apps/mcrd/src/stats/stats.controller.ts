// GET /api/v1/stats and GET /api/v1/relays/:id/stats: engine counters and rates.
import { Controller, Get, Param } from '@nestjs/common';
import {
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ErrorDto } from '../http/error.dto';
import { NodeStatsDto, RelayStatsDto } from './stats.dto';
import { StatsService } from './stats.service';

@ApiTags('stats')
@ApiUnauthorizedResponse({
  description: 'MCR_API_TOKEN_READ is set and the request has no valid token.',
  type: ErrorDto,
})
@Controller('api/v1')
export class StatsController {
  constructor(private readonly stats: StatsService) {}

  @Get('stats')
  @ApiOperation({ summary: 'Counters and rates of every relay on this node' })
  @ApiOkResponse({ type: NodeStatsDto, description: 'Per-relay counters and rates, with node totals.' })
  node(): Promise<NodeStatsDto> {
    return this.stats.nodeStats();
  }

  @Get('relays/:id/stats')
  @ApiOperation({ summary: 'Counters and rates of one relay' })
  @ApiParam({ name: 'id', description: 'Relay id.', example: '3f6c1a52-4d4b-4f0e-9a47-0d8f6e2b7c11' })
  @ApiOkResponse({ type: RelayStatsDto, description: 'Counters, rates and state of the relay on this node.' })
  @ApiNotFoundResponse({ type: ErrorDto, description: 'No relay has this id.' })
  relay(@Param('id') id: string): Promise<RelayStatsDto> {
    return this.stats.relayStats(id);
  }
}
