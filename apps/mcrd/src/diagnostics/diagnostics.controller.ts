// GET /api/v1/relays/:id/diagnostics and GET /api/v1/diagnostics: host checks of the relays.
import { Controller, Get, Param } from '@nestjs/common';
import {
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ErrorDto } from '../http/error.dto';
import { NodeDiagnosticsDto, RelayDiagnosticsDto } from './diagnostics.dto';
import { DiagnosticsService } from './diagnostics.service';

@ApiTags('diagnostics')
@ApiUnauthorizedResponse({
  description: 'MCR_API_TOKEN_READ is set and the request has no valid token.',
  type: ErrorDto,
})
@ApiServiceUnavailableResponse({
  description: "The host cannot be read: the ip command (iproute2) is not in mcrd's PATH.",
  type: ErrorDto,
})
@Controller('api/v1')
export class DiagnosticsController {
  constructor(private readonly diagnostics: DiagnosticsService) {}

  @Get('diagnostics')
  @ApiOperation({
    summary: 'Host checks of every relay on this node',
    description:
      'Reads the host once (links, routes back to SSM sources, routes and neighbours of unicast outputs, rp_filter, the kernel reverse-path drop count) and reports, per relay, what would keep it from forwarding and what to change.',
  })
  @ApiOkResponse({ type: NodeDiagnosticsDto, description: 'Every stored relay with its findings.' })
  node(): Promise<NodeDiagnosticsDto> {
    return this.diagnostics.node();
  }

  @Get('relays/:id/diagnostics')
  @ApiOperation({ summary: 'Host checks of one relay on this node' })
  @ApiParam({ name: 'id', description: 'Relay id.', example: '3f6c1a52-4d4b-4f0e-9a47-0d8f6e2b7c11' })
  @ApiOkResponse({ type: RelayDiagnosticsDto, description: 'The relay, its state and its findings.' })
  @ApiNotFoundResponse({ type: ErrorDto, description: 'No relay has this id.' })
  relay(@Param('id') id: string): Promise<RelayDiagnosticsDto> {
    return this.diagnostics.relay(id);
  }
}
