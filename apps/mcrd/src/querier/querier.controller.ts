// /api/v1/querier and /api/v1/membership: the IGMP/MLD querier of each interface and the
// groups (and sources) hosts reported there, what `smcroutectl show` gives kernel users.
import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ErrorDto } from '../http/error.dto';
import { MembershipDto, QuerierDto } from './querier.dto';
import { QuerierService } from './querier.service';

const READ_TOKEN = {
  description: 'MCR_API_TOKEN_READ is set and the request has no valid token.',
  type: ErrorDto,
};

@ApiTags('querier')
@Controller('api/v1')
export class QuerierController {
  constructor(private readonly querier: QuerierService) {}

  @Get('querier')
  @ApiOperation({ summary: 'The IGMP/MLD querier: election state, version, timers and counters per interface' })
  @ApiOkResponse({ type: QuerierDto, description: 'The querier (enabled false when MCR_QUERIER_INTERFACES is unset).' })
  @ApiUnauthorizedResponse(READ_TOKEN)
  get(): QuerierDto {
    return this.querier.describe();
  }

  @Get('membership')
  @ApiOperation({ summary: 'Groups and sources hosts reported on each querier interface, with their timers' })
  @ApiOkResponse({ type: MembershipDto, description: 'The membership table of every querier interface.' })
  @ApiUnauthorizedResponse(READ_TOKEN)
  membership(): MembershipDto {
    return this.querier.membership();
  }
}
