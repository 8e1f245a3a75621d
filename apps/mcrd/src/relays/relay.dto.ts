// The relay resource over HTTP: request DTOs (validated by class-validator) and the response
// DTO, with Swagger metadata side by side. Limits come from @mcr/contract; semantic rules live in
// @mcr/model (validateRelaySpec).
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateNested,
  type ValidationOptions,
} from 'class-validator';
import { relaySpec } from '@mcr/contract';
import type { AnalyzeMode, RedundancyKey, RedundancyMode, Ttl } from '@mcr/model';
import { ClosedSchema } from '../openapi/closed-schema';

const {
  name: NAME,
  interfaceName: INTERFACE_NAME,
  port: PORT,
  ttl: TTL,
  dscp: DSCP,
  outputs: OUTPUTS,
  redundancy: REDUNDANCY,
  preferredNode: PREFERRED_NODE,
  analyze: ANALYZE,
} = relaySpec;

const PREFERRED_NODE_DESCRIPTION =
  'MCR_PLACEMENT=relay: the node (its MCR_NODE_ID) that owns this relay whenever it is healthy, out of maintenance and receives the input; ignored with MCR_PLACEMENT=node.';

const ANALYZE_DESCRIPTION = `What the input is analysed as (per input leg: RTP loss, reordering, duplicates and jitter, MPEG-TS continuity errors; GET .../stats and /metrics): \`auto\` recognises RTP and MPEG-TS per datagram, \`rtp\` or \`ts\` looks for one only, \`off\` looks at nothing. Changed in place. Default ${ANALYZE.default}.`;

/** ttl: an integer hop count in the contract's range, or "inherit". */
function IsTtl(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isTtl',
      validator: {
        validate: (value: unknown) =>
          value === TTL.inherit ||
          (Number.isInteger(value) && (value as number) >= TTL.min && (value as number) <= TTL.max),
        defaultMessage: (args) => `${args?.property ?? 'ttl'} must be ${TTL.rule}`,
      },
    },
    options,
  );
}

@ClosedSchema()
export class RelayInputDto {
  @ApiProperty({
    description: 'Interface to receive on (a real name, or a logical name mapped by MCR_INTERFACE_MAP).',
    example: 'eth0',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(INTERFACE_NAME.maxChars)
  interface!: string;

  @ApiProperty({
    description: 'Multicast group to join, or a local unicast address to listen on. IPv4 or IPv6.',
    example: '239.1.1.1',
  })
  @IsString()
  @IsNotEmpty()
  group!: string;

  @ApiProperty({ description: 'UDP port to receive on.', example: 5000, minimum: PORT.min, maximum: PORT.max })
  @IsInt()
  @Min(PORT.min)
  @Max(PORT.max)
  port!: number;

  @ApiPropertyOptional({
    description: 'SSM source addresses; absent or empty = any source.',
    example: ['10.0.0.5'],
    type: [String],
  })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  sources?: string[];
}

@ClosedSchema()
export class RelayOutputDto {
  @ApiProperty({ description: 'Interface to send on.', example: 'eth1' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(INTERFACE_NAME.maxChars)
  interface!: string;

  @ApiProperty({ description: 'Destination multicast group or unicast host. IPv4 or IPv6.', example: '239.2.2.2' })
  @IsString()
  @IsNotEmpty()
  group!: string;

  @ApiProperty({ description: 'Destination UDP port.', example: 6000, minimum: PORT.min, maximum: PORT.max })
  @IsInt()
  @Min(PORT.min)
  @Max(PORT.max)
  port!: number;

  @ApiPropertyOptional({
    description: `TTL / hop limit of sent datagrams: ${TTL.min}..${TTL.max}, or "${TTL.inherit}" (ingress TTL - 1, dropping at <= 1). Default ${TTL.default}.`,
    oneOf: [
      { type: 'integer', minimum: TTL.min, maximum: TTL.max },
      { type: 'string', enum: [TTL.inherit] },
    ],
    example: 16,
  })
  @IsOptional()
  @IsTtl()
  ttl?: Ttl;

  @ApiPropertyOptional({
    description: `DiffServ code point ${DSCP.min}..${DSCP.max}. Default ${DSCP.default}.`,
    example: 46,
    minimum: DSCP.min,
    maximum: DSCP.max,
  })
  @IsOptional()
  @IsInt()
  @Min(DSCP.min)
  @Max(DSCP.max)
  dscp?: number;

  @ApiPropertyOptional({
    description: 'Address to send from (e.g. a VIP that follows leadership). Default: the interface address.',
    example: '10.0.1.10',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  source?: string;

  @ApiPropertyOptional({
    description:
      'Send only while a member of the group is reported on the interface, so a segment or WAN link ' +
      'with no receiver carries nothing (needs the querier on the interface: MCR_QUERIER_INTERFACES). ' +
      'Multicast groups only. Default false.',
    example: false,
  })
  @IsOptional()
  @IsBoolean()
  onDemand?: boolean;
}

@ClosedSchema()
export class RelayRedundancyDto {
  @ApiProperty({
    description:
      "The second (B) leg of the same feed: any interface, group, port and sources (IPv4 and IPv6 legs may be mixed); never equal to `input`, never another relay's ingress.",
    type: RelayInputDto,
  })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => RelayInputDto)
  input!: RelayInputDto;

  @ApiProperty({
    description:
      '`merge`: both legs are received all the time; the first copy of each datagram is forwarded at once, later copies are dropped. `failover`: only the active leg is forwarded; after `lossMs` of silence on it the other leg takes over.',
    enum: REDUNDANCY.modes,
    example: 'merge',
  })
  @IsIn(REDUNDANCY.modes)
  mode!: RedundancyMode;

  @ApiPropertyOptional({
    description: `merge: how a datagram is recognised on both legs: \`rtp\` = RTP SSRC + extended sequence number (RFC 3550; datagrams that are not RTP fall back to the payload hash), \`payload\` = a 64-bit hash of the UDP payload. Default ${REDUNDANCY.keyDefault}.`,
    enum: REDUNDANCY.keys,
    example: 'rtp',
  })
  @IsOptional()
  @IsIn(REDUNDANCY.keys)
  key?: RedundancyKey;

  @ApiPropertyOptional({
    description: `merge: how long a key is remembered, ms: the largest skew between the legs that is still merged. Default ${REDUNDANCY.windowMs.default}.`,
    minimum: REDUNDANCY.windowMs.min,
    maximum: REDUNDANCY.windowMs.max,
    example: REDUNDANCY.windowMs.default,
  })
  @IsOptional()
  @IsInt()
  @Min(REDUNDANCY.windowMs.min)
  @Max(REDUNDANCY.windowMs.max)
  windowMs?: number;

  @ApiPropertyOptional({
    description: `failover: silence on the active leg, ms, after which the other leg takes over. Default ${REDUNDANCY.lossMs.default}.`,
    minimum: REDUNDANCY.lossMs.min,
    maximum: REDUNDANCY.lossMs.max,
    example: REDUNDANCY.lossMs.default,
  })
  @IsOptional()
  @IsInt()
  @Min(REDUNDANCY.lossMs.min)
  @Max(REDUNDANCY.lossMs.max)
  lossMs?: number;

  @ApiPropertyOptional({
    description: `failover: how long the primary leg must be alive again, ms, before it takes over again; 0 = never revert. Default ${REDUNDANCY.revertMs.default}.`,
    minimum: REDUNDANCY.revertMs.min,
    maximum: REDUNDANCY.revertMs.max,
    example: REDUNDANCY.revertMs.default,
  })
  @IsOptional()
  @IsInt()
  @Min(REDUNDANCY.revertMs.min)
  @Max(REDUNDANCY.revertMs.max)
  revertMs?: number;
}

@ClosedSchema()
export class CreateRelayDto {
  @ApiProperty({
    description: 'Unique, human-readable relay name.',
    example: 'market-feed-a',
    maxLength: NAME.maxChars,
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(NAME.maxChars)
  name!: string;

  @ApiPropertyOptional({
    description:
      'false keeps the relay stored but holds nothing on the host: no socket, no group membership, nothing received. Default true.',
    example: true,
  })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @ApiProperty({ description: 'Where the relay receives.', type: RelayInputDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => RelayInputDto)
  input!: RelayInputDto;

  @ApiProperty({
    description: `Where every received datagram is sent (${OUTPUTS.min}..${OUTPUTS.max} outputs).`,
    type: [RelayOutputDto],
  })
  @IsDefined()
  @IsArray()
  @ArrayMinSize(OUTPUTS.min)
  @ArrayMaxSize(OUTPUTS.max)
  @ValidateNested({ each: true })
  @Type(() => RelayOutputDto)
  outputs!: RelayOutputDto[];

  @ApiPropertyOptional({
    description: 'A second input leg of the same feed (A/B merge or failover); absent = a plain relay.',
    type: RelayRedundancyDto,
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => RelayRedundancyDto)
  redundancy?: RelayRedundancyDto;

  @ApiPropertyOptional({
    description: PREFERRED_NODE_DESCRIPTION,
    example: 'mcr-b',
    maxLength: PREFERRED_NODE.maxChars,
    pattern: PREFERRED_NODE.pattern,
  })
  @IsOptional()
  @IsString()
  @Matches(new RegExp(PREFERRED_NODE.pattern), { message: `preferredNode must be ${PREFERRED_NODE.rule}` })
  preferredNode?: string;

  @ApiPropertyOptional({ description: ANALYZE_DESCRIPTION, enum: ANALYZE.modes, example: 'auto' })
  @IsOptional()
  @IsIn(ANALYZE.modes)
  analyze?: AnalyzeMode;
}

@ClosedSchema()
export class ReplaceRelayDto extends CreateRelayDto {
  @ApiPropertyOptional({
    description: 'As read from GET; must equal the id in the path.',
    example: '3f6c1a52-4d4b-4f0e-9a47-0d8f6e2b7c11',
  })
  @IsOptional()
  @IsString()
  id?: string;

  @ApiPropertyOptional({ description: 'As read from GET; acts like If-Match (412 when stale).', example: 7 })
  @IsOptional()
  @IsInt()
  @Min(0)
  revision?: number;
}

export class RelayDto extends CreateRelayDto {
  @ApiProperty({ description: 'Generated by the service; read-only.', example: '3f6c1a52-4d4b-4f0e-9a47-0d8f6e2b7c11' })
  id!: string;

  @ApiProperty({ description: 'Whether the relay forwards (default true).', example: true })
  declare enabled: boolean;

  @ApiProperty({ description: 'Store revision of the last change to this relay; its ETag.', example: 7 })
  revision!: number;
}

/**
 * The input of a merge patch: any subset of the input's fields. Schema only: a patch is checked
 * after it is applied, as a whole relay (relay-patch.ts), so its errors name the relay's fields.
 */
@ClosedSchema()
export class PatchRelayInputDto {
  @ApiPropertyOptional({ description: 'Interface to receive on.', example: 'eth0', type: String })
  interface?: string;

  @ApiPropertyOptional({ description: 'Multicast group or local unicast address.', example: '239.1.1.1', type: String })
  group?: string;

  @ApiPropertyOptional({
    description: 'UDP port to receive on.',
    example: 5000,
    type: 'integer',
    minimum: PORT.min,
    maximum: PORT.max,
  })
  port?: number;

  @ApiPropertyOptional({
    description: 'SSM source addresses, replaced whole; null or [] = any source.',
    type: [String],
    nullable: true,
    example: ['10.0.0.5'],
  })
  sources?: string[] | null;
}

/** A JSON merge patch (RFC 7396) of a relay. Schema only, like PatchRelayInputDto. */
@ClosedSchema()
export class PatchRelayDto {
  @ApiPropertyOptional({ description: 'New unique name.', example: 'market-feed-a', maxLength: NAME.maxChars })
  name?: string;

  @ApiPropertyOptional({
    description: 'false stops forwarding and keeps the relay stored; null restores the default (true).',
    type: Boolean,
    example: false,
    nullable: true,
  })
  enabled?: boolean | null;

  @ApiPropertyOptional({
    description: 'Fields of the ingress to change; the others are kept.',
    type: PatchRelayInputDto,
  })
  input?: PatchRelayInputDto;

  @ApiPropertyOptional({
    description: `Every output, replaced whole (${OUTPUTS.min}..${OUTPUTS.max}); a merge patch cannot change one element of an array.`,
    type: [RelayOutputDto],
    minItems: OUTPUTS.min,
    maxItems: OUTPUTS.max,
  })
  outputs?: RelayOutputDto[];

  @ApiPropertyOptional({
    description: `${PREFERRED_NODE_DESCRIPTION} null removes it.`,
    type: String,
    example: 'mcr-b',
    nullable: true,
    maxLength: PREFERRED_NODE.maxChars,
    pattern: PREFERRED_NODE.pattern,
  })
  preferredNode?: string | null;

  @ApiPropertyOptional({
    description: `${ANALYZE_DESCRIPTION} null restores the default.`,
    enum: ANALYZE.modes,
    nullable: true,
    example: 'off',
  })
  analyze?: AnalyzeMode | null;

  @ApiPropertyOptional({
    description: 'As read from GET; must equal the id in the path (id is read-only).',
    example: '3f6c1a52-4d4b-4f0e-9a47-0d8f6e2b7c11',
  })
  id?: string;

  @ApiPropertyOptional({
    description: 'As read from GET; acts like If-Match (412 when stale).',
    example: 7,
    type: 'integer',
    minimum: 0,
  })
  revision?: number;
}
