// Marks routes that stay open whatever the token settings (health checks and metrics), for the
// token guard and, as an empty security requirement, for the OpenAPI document.
import { applyDecorators, SetMetadata } from '@nestjs/common';
import { DECORATORS } from '@nestjs/swagger';

export const PUBLIC_ROUTE = 'mcr:public-route';
export const Public = (): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(PUBLIC_ROUTE, true), SetMetadata(DECORATORS.API_SECURITY, []));
