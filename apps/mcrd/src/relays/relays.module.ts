// The /api/v1/relays resource and the services that check and write relays.
import { Module } from '@nestjs/common';
import { RelayChecks } from './relay-checks';
import { RelaysController } from './relays.controller';
import { RelaysService } from './relays.service';

@Module({
  controllers: [RelaysController],
  providers: [RelaysService, RelayChecks],
  exports: [RelaysService, RelayChecks],
})
export class RelaysModule {}
