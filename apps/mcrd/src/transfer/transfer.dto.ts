// Response DTO of POST /api/v1/import.
import { ApiProperty } from '@nestjs/swagger';

export class RelayRefDto {
  @ApiProperty({ example: '3f6c1a52-4d4b-4f0e-9a47-0d8f6e2b7c11' })
  id!: string;
  @ApiProperty({ example: 'market-feed-a' })
  name!: string;
}

export class ImportResultDto {
  @ApiProperty({ description: 'Relays created from rules with a new name.', type: [RelayRefDto] })
  created!: RelayRefDto[];
  @ApiProperty({ description: 'Existing relays (same name) whose configuration changed.', type: [RelayRefDto] })
  replaced!: RelayRefDto[];
  @ApiProperty({
    description: 'Relays deleted because mode=replace and the file does not name them.',
    type: [RelayRefDto],
  })
  deleted!: RelayRefDto[];
  @ApiProperty({ description: 'Existing relays the file describes exactly as stored.', type: [RelayRefDto] })
  unchanged!: RelayRefDto[];
}
