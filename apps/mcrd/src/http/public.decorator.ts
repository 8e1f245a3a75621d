// Marks routes that stay open whatever the token settings (health checks and metrics).
import { SetMetadata } from '@nestjs/common';

export const PUBLIC_ROUTE = 'mcr:public-route';
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);
