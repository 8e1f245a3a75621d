// REST resource /api/v1/relays (DESIGN "Public contract"): thin handlers over RelaysService.
import {
  applyDecorators,
  BadRequestException,
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  Patch,
  Post,
  Put,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiHeader,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiPayloadTooLargeResponse,
  ApiPreconditionFailedResponse,
  ApiQuery,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Relay } from '@mcr/model';
import { ErrorDto } from '../http/error.dto';
import { WriteResponses } from '../openapi/write-responses';
import { checkBodyId, etag, writeCondition } from './if-match';
import { CreateRelayDto, PatchRelayDto, RelayDto, ReplaceRelayDto } from './relay.dto';
import { toRelaySpec } from './relay.mapper';
import { RelaysService, type ChangeOrigin } from './relays.service';

const ID_PARAM = {
  name: 'id',
  description: 'Relay id as returned by POST or GET.',
  example: '3f6c1a52-4d4b-4f0e-9a47-0d8f6e2b7c11',
};

const IF_MATCH_HEADER = {
  name: 'If-Match',
  required: false,
  description: 'ETags (revisions) the relay may still have, RFC 9110: one, a list (`"6", "7"`) or `*`.',
  example: '"7"',
};

/** What PUT and PATCH of one relay answer: they differ only in what was done and what a 400 means. */
function RelayUpdateResponses({ done, badRequest }: { done: string; badRequest: string }): MethodDecorator {
  return applyDecorators(
    ApiParam(ID_PARAM),
    ApiHeader(IF_MATCH_HEADER),
    ApiOkResponse({ type: RelayDto, description: `${done}; ETag is the new revision.` }),
    ApiBadRequestResponse({ type: ErrorDto, description: badRequest }),
    ApiNotFoundResponse({ type: ErrorDto, description: 'No relay has this id.' }),
    ApiConflictResponse({ type: ErrorDto, description: 'Another relay already has this name or this ingress.' }),
    ApiPreconditionFailedResponse({
      type: ErrorDto,
      description: 'If-Match / revision does not match the stored revision.',
    }),
    ApiUnprocessableEntityResponse({
      type: ErrorDto,
      description: 'An output equals an ingress on this node (would loop).',
    }),
    ApiPayloadTooLargeResponse({ type: ErrorDto, description: 'Request body over the size limit.' }),
    WriteResponses({ body: true }),
  );
}

/** Both media types carry the same merge patch (see the operation's description). */
const PATCH_BODY = {
  required: true,
  description: 'The fields to change, e.g. `{"enabled": false}`.',
  content: {
    'application/merge-patch+json': { schema: { $ref: getSchemaPath(PatchRelayDto) } },
    'application/json': { schema: { $ref: getSchemaPath(PatchRelayDto) } },
  },
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
  @ApiOperation({ summary: 'List relays' })
  @ApiQuery({
    name: 'name',
    required: false,
    description: 'Only the relay with exactly this name (names are unique: an empty list or one relay).',
    example: 'market-feed-a',
  })
  @ApiOkResponse({ type: [RelayDto], description: 'Every stored relay, or the one named `name`.' })
  @ApiBadRequestResponse({ type: ErrorDto, description: '`name` is given more than once.' })
  list(@Query('name') name: string | string[] | undefined): Promise<Relay[]> {
    return this.relays.list({ name: queryName(name) });
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
  @RelayUpdateResponses({
    done: 'Replaced',
    badRequest: 'Invalid relay, malformed JSON, a body nested too deep, or a body id that differs from the path.',
  })
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

  @Patch(':id')
  @ApiOperation({
    summary: 'Change some fields of a relay (JSON merge patch)',
    description:
      'RFC 7396: the members the patch names replace the stored ones, `null` removes one (its default applies), ' +
      'objects merge, arrays (`outputs`, `sources`) are replaced whole. The result is checked as a whole relay, ' +
      'exactly as PUT checks it; nothing changes when it fails. `id` is read-only; a `revision` in the patch acts ' +
      'like If-Match. `application/json` is read as a merge patch too.',
    requestBody: PATCH_BODY,
  })
  @ApiExtraModels(PatchRelayDto)
  @RelayUpdateResponses({
    done: 'Patched',
    badRequest:
      'The patched relay is invalid (each message names the field and the bad value), the patch is not a JSON ' +
      'object, it changes `id`, or it is malformed or nested too deep.',
  })
  async patch(
    @Param('id') id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Relay> {
    // Read from the request, not through @Body(): the patch is checked after it is applied (as a
    // whole relay), and a @Body() would replace PATCH_BODY's two media types in the document.
    const relay = await this.relays.patch(id, req.body as unknown, ifMatch, origin(req));
    res.setHeader('ETag', etag(relay.revision));
    return relay;
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a relay' })
  @ApiParam(ID_PARAM)
  @ApiHeader(IF_MATCH_HEADER)
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

/** `?name=a&name=b` is refused rather than read as the first or the last of them. */
function queryName(name: string | string[] | undefined): string | undefined {
  if (Array.isArray(name)) throw new BadRequestException([`name must be given once, got ${name.length} values`]);
  return name;
}

export function origin(req: Request, via: ChangeOrigin['via'] = 'api'): ChangeOrigin {
  return { via, requestId: String(req.id ?? ''), remoteAddress: req.socket.remoteAddress };
}
