// Answers every write route can give besides its own: 503 when the store cannot take the write,
// and for routes with a body, 415 for a media type the route does not read (http/route-guards.ts).
import { applyDecorators } from '@nestjs/common';
import { ApiServiceUnavailableResponse, ApiUnsupportedMediaTypeResponse } from '@nestjs/swagger';
import { ErrorDto } from '../http/error.dto';

export function WriteResponses({ body }: { body: boolean }): MethodDecorator & ClassDecorator {
  const unavailable = ApiServiceUnavailableResponse({
    type: ErrorDto,
    description: 'The store cannot take the write (etcd unreachable, disk full or read-only). Nothing changed.',
  });
  if (!body) return applyDecorators(unavailable);
  return applyDecorators(
    unavailable,
    ApiUnsupportedMediaTypeResponse({
      type: ErrorDto,
      description: 'The body is not of a media type this route reads (see its request body). Nothing changed.',
    }),
  );
}
