// /livez, /readyz, /healthz, /healthz/active (@nestjs/terminus) and the shutdown state.
import { Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { HealthIndicators } from './health.indicators';
import { Lifecycle } from './lifecycle.service';

@Global()
@Module({
  // Failed checks are expected answers (standby, starting), not errors worth a log line each.
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [HealthIndicators, Lifecycle],
  exports: [Lifecycle],
})
export class HealthModule {}
