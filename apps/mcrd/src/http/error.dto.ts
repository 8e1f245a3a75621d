// Swagger description of the error body every route shares.
import { ApiProperty } from '@nestjs/swagger';

export class ErrorDto {
  @ApiProperty({ description: 'HTTP status code.', example: 400 })
  statusCode!: number;

  @ApiProperty({ description: 'HTTP reason phrase.', example: 'Bad Request' })
  error!: string;

  @ApiProperty({
    description: 'What was wrong: a sentence, or for validation errors a list naming each field and bad value.',
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    example: ['outputs[1].port must be an integer 1..65535, got 70000'],
  })
  message!: string | string[];
}
