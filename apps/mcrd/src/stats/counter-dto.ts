// Response DTO classes made from contract counters: one number property per counter, documented
// with the counter's help, so a counter added to @mcr/contract reaches the OpenAPI document by itself.
import { ApiProperty } from '@nestjs/swagger';
import type { CounterDefinition, ErrnoTableCounterName } from '@mcr/contract';

export type CountsOf<Name extends string> = Record<Name, number>;
export type CountsByErrnoOf<Name extends string> = Record<
  `${ErrnoTableCounterName & Name}ByErrno`,
  Record<string, number>
>;

/** A class named `dtoName` (Swagger names the schema after it) with the counters as properties. */
export function counterDto<Name extends string>(
  dtoName: string,
  counters: readonly CounterDefinition<Name>[],
  describe: (counter: CounterDefinition<Name>) => string = (counter) => counter.help,
): new () => CountsOf<Name> {
  const dto = { [dtoName]: class {} }[dtoName];
  for (const counter of counters) {
    ApiProperty({ description: describe(counter), example: counter.example, type: Number })(
      dto.prototype,
      counter.name,
    );
  }
  return dto as new () => CountsOf<Name>;
}

/** `dto` plus a `<name>ByErrno` map (errno name -> count) for each errno-table counter. */
export function withErrnoTables<Name extends string>(
  dto: new () => CountsOf<Name>,
  counters: readonly CounterDefinition<Name>[],
): new () => CountsOf<Name> & CountsByErrnoOf<Name> {
  for (const counter of counters.filter((c) => c.native === 'errnoTable')) {
    ApiProperty({
      description: `${counter.name} by errno name.`,
      example: { ENETUNREACH: 3 },
      type: 'object',
      additionalProperties: { type: 'number' },
    })(dto.prototype, `${counter.name}ByErrno`);
  }
  return dto as new () => CountsOf<Name> & CountsByErrnoOf<Name>;
}
