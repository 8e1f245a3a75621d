// REST resource /api/v1/relays (DESIGN "Public contract"): thin handlers over RelaysService.
import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Put, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiPayloadTooLargeResponse,
  ApiPreconditionFailedResponse,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Relay } from '@mcr/model';
import { ErrorDto } from '../http/error.dto';
import { WriteResponses } from '../openapi/write-responses';
import { checkBodyId, etag, writeCondition } from './if-match';
import { CreateRelayDto, RelayDto, ReplaceRelayDto } from './relay.dto';
import { toRelaySpec } from './relay.mapper';
import { RelaysService, type ChangeOrigin } from './relays.service';

const ID_PARAM = {
  name: 'id',
  description: 'Relay id as returned by POST or GET.',
  example: '3f6c1a52-4d4b-4f0e-9a47-0d8f6e2b7c11',
};

@ApiTags('relays')
@ApiUnauthorizedResponse({
  description: 'A token is configured and the request has none or a wrong one.',
  type: ErrorDto,
})
@Controller('api/v1/relays')
export class RelaysController {
  constructor(private readonly relays: RelaysService) {}

  @Get()
  @ApiOperation({ summary: 'List all relays' })
  @ApiOkResponse({ type: [RelayDto], description: 'Every stored relay.' })
  list(): Promise<Relay[]> {
    return this.relays.list();
  }

  @Post()
  @ApiOperation({
    summary: 'Create a relay',
    description: 'Answers once the relay is durably stored and (normally) running in the engine.',
  })
  @ApiCreatedResponse({ type: RelayDto, description: 'Created; Location names the new relay, ETag is its revision.' })
  @ApiBadRequestResponse({
    type: ErrorDto,
    description:
      'Invalid relay (each message names the field and the bad value), malformed JSON, or a body nested too deep.',
  })
  @ApiConflictResponse({ type: ErrorDto, description: 'Another relay already has this name or this ingress.' })
  @ApiUnprocessableEntityResponse({
    type: ErrorDto,
    description: 'An output equals an ingress on this node (would loop).',
  })
  @ApiPayloadTooLargeResponse({ type: ErrorDto, description: 'Request body over the size limit.' })
  @WriteResponses({ body: true })
  async create(
    @Body() body: CreateRelayDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Relay> {
    const relay = await this.relays.create(toRelaySpec(body), origin(req));
    res.setHeader('Location', `/api/v1/relays/${encodeURIComponent(relay.id)}`);
    res.setHeader('ETag', etag(relay.revision));
    return relay;
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get one relay' })
  @ApiParam(ID_PARAM)
  @ApiOkResponse({ type: RelayDto, description: 'The relay; ETag is its revision.' })
  @ApiNotFoundResponse({ type: ErrorDto, description: 'No relay has this id.' })
  async get(@Param('id') id: string, @Res({ passthrough: true }) res: Response): Promise<Relay> {
    const relay = await this.relays.get(id);
    res.setHeader('ETag', etag(relay.revision));
    return relay;
  }

  @Put(':id')
  @ApiOperation({
    summary: 'Replace a relay',
    description: 'Hitless when the ingress is unchanged. `If-Match` or a body `revision` makes the write conditional.',
  })
  @ApiParam(ID_PARAM)
  @ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'ETags (revisions) the relay may still have, RFC 9110: one, a list (`"6", "7"`) or `*`.',
    example: '"7"',
  })
  @ApiOkResponse({ type: RelayDto, description: 'Replaced; ETag is the new revision.' })
  @ApiBadRequestResponse({
    type: ErrorDto,
    description: 'Invalid relay, malformed JSON, a body nested too deep, or a body id that differs from the path.',
  })
  @ApiNotFoundResponse({ type: ErrorDto, description: 'No relay has this id.' })
  @ApiConflictResponse({ type: ErrorDto, description: 'Another relay already has this name or this ingress.' })
  @ApiPreconditionFailedResponse({
    type: ErrorDto,
    description: 'If-Match / revision does not match the stored revision.',
  })
  @ApiUnprocessableEntityResponse({
    type: ErrorDto,
    description: 'An output equals an ingress on this node (would loop).',
  })
  @ApiPayloadTooLargeResponse({ type: ErrorDto, description: 'Request body over the size limit.' })
  @WriteResponses({ body: true })
  async replace(
    @Param('id') id: string,
    @Body() body: ReplaceRelayDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Relay> {
    checkBodyId(id, body.id);
    const relay = await this.relays.replace(id, toRelaySpec(body), writeCondition(ifMatch, body.revision), origin(req));
    res.setHeader('ETag', etag(relay.revision));
    return relay;
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a relay' })
  @ApiParam(ID_PARAM)
  @ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'ETags (revisions) the relay may still have, RFC 9110: one, a list (`"6", "7"`) or `*`.',
    example: '"7"',
  })
  @ApiNoContentResponse({ description: 'Deleted; the engine has stopped the relay.' })
  @ApiNotFoundResponse({ type: ErrorDto, description: 'No relay has this id.' })
  @ApiPreconditionFailedResponse({ type: ErrorDto, description: 'If-Match does not match the stored revision.' })
  @WriteResponses({ body: false })
  async delete(
    @Param('id') id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Req() req: Request,
  ): Promise<void> {
    await this.relays.delete(id, writeCondition(ifMatch, undefined), origin(req));
  }
}

export function origin(req: Request, via: ChangeOrigin['via'] = 'api'): ChangeOrigin {
  return { via, requestId: String(req.id ?? ''), remoteAddress: req.socket.remoteAddress };
}
