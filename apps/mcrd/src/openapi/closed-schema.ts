// Says in the OpenAPI document what the validation pipe does (forbidNonWhitelisted): a request
// body with a field the DTO does not declare is refused, so its schema has additionalProperties false.
import { ApiSchema, type ApiSchemaOptions } from '@nestjs/swagger';

// ApiSchema's options are typed as name and description only; @nestjs/swagger copies every
// other key into the schema object as it is.
const CLOSED = { additionalProperties: false } as ApiSchemaOptions;

export const ClosedSchema = (): ClassDecorator => ApiSchema(CLOSED);
