// POST /api/v1/import (rules file, JSON5 or JSON) and GET /api/v1/export (the same format).
import { BadRequestException, Controller, Get, Header, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiProduces,
  ApiQuery,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ErrorDto } from '../http/error.dto';
import { origin } from '../relays/relays.controller';
import { WriteResponses } from '../openapi/write-responses';
import type { ImportMode } from './import-plan';
import { ImportResultDto, RulesFileDto } from './transfer.dto';
import { TransferService } from './transfer.service';

const RULES_EXAMPLE = `{ rules: [ { name: 'market-feed-a', input: { interface: 'eth0', group: '239.1.1.1', port: 5000 },
  outputs: [ { interface: 'eth1', group: '239.2.2.2', port: 6000, ttl: 16 } ] } ] }`;

/** JSON bodies are the rules file object; JSON5 and plain-text bodies are its text. */
const RULES_BODY = {
  required: true,
  description: 'Rules file: `{ rules: [ { name, enabled?, input, outputs } ] }` as JSON, or as JSON5 text.',
  content: {
    'application/json': { schema: { $ref: getSchemaPath(RulesFileDto) } },
    'application/json5': { schema: { type: 'string', example: RULES_EXAMPLE } },
    'text/plain': { schema: { type: 'string', example: RULES_EXAMPLE } },
  },
};

@ApiTags('transfer')
@ApiUnauthorizedResponse({
  description: 'A token is configured and the request has none or a wrong one.',
  type: ErrorDto,
})
@Controller('api/v1')
export class TransferController {
  constructor(private readonly transfer: TransferService) {}

  @Post('import')
  @ApiOperation({
    summary: 'Import a rules file, all or nothing',
    description:
      'Rules are matched to relays by name, so a re-imported relay keeps its id. Answers 201 when at least one ' +
      'relay was created, else 200.',
    requestBody: RULES_BODY,
  })
  @ApiExtraModels(RulesFileDto)
  @ApiQuery({
    name: 'mode',
    required: false,
    enum: ['merge', 'replace'],
    description: 'merge (default) keeps relays the file does not name; replace deletes them.',
  })
  @ApiQuery({
    name: 'dryRun',
    required: false,
    enum: ['true', 'false'],
    description:
      'true: check the file and answer the plan (created / replaced with each change / deleted / unchanged) ' +
      'without writing anything. Fails exactly where the import would.',
  })
  @ApiOkResponse({ type: ImportResultDto, description: 'Applied and nothing was created, or the plan of a dry run.' })
  @ApiCreatedResponse({ type: ImportResultDto, description: 'Applied; at least one relay was created.' })
  @ApiBadRequestResponse({
    type: ErrorDto,
    description:
      'A rule is invalid (the message names the rule, by index and name, and the field), the file is not ' +
      'valid JSON5, or it is nested too deep. Nothing changed.',
  })
  @ApiConflictResponse({
    type: ErrorDto,
    description: 'A rule uses the ingress of a relay the file does not replace. Nothing changed.',
  })
  @ApiUnprocessableEntityResponse({ type: ErrorDto, description: 'A rule would loop. Nothing changed.' })
  @ApiPayloadTooLargeResponse({ type: ErrorDto, description: 'Rules file over the size limit.' })
  @WriteResponses({ body: true })
  async import(
    @Query('mode') mode: string | undefined,
    @Query('dryRun') dryRun: string | undefined,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ImportResultDto> {
    // Read from the request, not through @Body(): a @Body() parameter would replace the request
    // body of RULES_BODY (one schema per media type) in the OpenAPI document.
    const result = await this.transfer.import(
      rulesText(req.body),
      importMode(mode),
      origin(req, 'import'),
      isDryRun(dryRun),
    );
    res.status(result.created.length > 0 && !result.dryRun ? 201 : 200);
    return result;
  }

  @Get('export')
  @Header('Content-Type', 'application/json; charset=utf-8')
  @ApiOperation({ summary: 'Export every relay as a rules file (round-trips through import)' })
  @ApiProduces('application/json')
  @ApiOkResponse({ description: 'Rules file, JSON (a subset of JSON5).', type: RulesFileDto })
  export(): Promise<string> {
    return this.transfer.export();
  }
}

function importMode(mode: string | undefined): ImportMode {
  if (mode === undefined || mode === 'merge') return 'merge';
  if (mode === 'replace') return 'replace';
  throw new BadRequestException([`mode must be merge or replace, got '${mode}'`]);
}

function isDryRun(dryRun: string | undefined): boolean {
  if (dryRun === undefined || dryRun === 'false') return false;
  if (dryRun === 'true') return true;
  throw new BadRequestException([`dryRun must be true or false, got '${dryRun}'`]);
}

/** JSON bodies arrive parsed; JSON5 and text bodies arrive as text. The rules parser takes text. */
function rulesText(body: unknown): string {
  if (typeof body === 'string' && body.trim() !== '') return body;
  if (typeof body === 'object' && body !== null && Object.keys(body).length > 0) return JSON.stringify(body);
  throw new BadRequestException(['request body must be a rules file (JSON5 or JSON text), got an empty body']);
}
