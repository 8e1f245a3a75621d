// Diagnostics routes; the host is read through HOST_FACTS (ip -j and /proc), which tests replace.
import { Module } from '@nestjs/common';
import { RelaysModule } from '../relays/relays.module';
import { HOST_FACTS, WALL_CLOCK } from '../tokens';
import { DiagnosticsController } from './diagnostics.controller';
import { DiagnosticsService } from './diagnostics.service';
import { IpHostFacts } from './ip-host-facts';

@Module({
  imports: [RelaysModule],
  controllers: [DiagnosticsController],
  providers: [
    DiagnosticsService,
    { provide: HOST_FACTS, useValue: new IpHostFacts() },
    { provide: WALL_CLOCK, useValue: () => Date.now() },
  ],
})
export class DiagnosticsModule {}
