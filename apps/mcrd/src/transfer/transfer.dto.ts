// DTOs of /api/v1/import and /api/v1/export: the rules file and the import's result.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ClosedSchema } from '../openapi/closed-schema';
import { CreateRelayDto } from '../relays/relay.dto';

/** The rules file as export writes it and import reads it (JSON; import also reads JSON5). */
@ClosedSchema()
export class RulesFileDto {
  @ApiProperty({
    description: 'Every relay, with defaults filled in; no id or revision (they belong to one store).',
    type: [CreateRelayDto],
  })
  rules!: CreateRelayDto[];
}

export class RelayRefDto {
  @ApiPropertyOptional({
    description: 'The relay id; absent for a relay a dry run would create (it has none yet).',
    example: '3f6c1a52-4d4b-4f0e-9a47-0d8f6e2b7c11',
  })
  id?: string;
  @ApiProperty({ example: 'market-feed-a' })
  name!: string;
}

export class ReplacedRelayDto extends RelayRefDto {
  @ApiProperty({
    description: 'Each field the rule changes, with the stored and the new value.',
    example: ['outputs[0].port: 6000 -> 6001'],
    type: [String],
  })
  changes!: string[];
}

export class ImportResultDto {
  @ApiProperty({ description: 'Relays created from rules with a new name.', type: [RelayRefDto] })
  created!: RelayRefDto[];
  @ApiProperty({
    description: 'Existing relays (same name) whose configuration changed; each keeps its id.',
    type: [ReplacedRelayDto],
  })
  replaced!: ReplacedRelayDto[];
  @ApiProperty({
    description: 'Relays deleted because mode=replace and the file does not name them.',
    type: [RelayRefDto],
  })
  deleted!: RelayRefDto[];
  @ApiProperty({ description: 'Existing relays the file describes exactly as stored.', type: [RelayRefDto] })
  unchanged!: RelayRefDto[];
  @ApiProperty({ description: 'true: the plan of a dry run (dryRun=true); nothing was written.', example: false })
  dryRun!: boolean;
}
