// Stats routes and the rate tracker behind them.
import { Module } from '@nestjs/common';
import { RelaysModule } from '../relays/relays.module';
import { StatsController } from './stats.controller';
import { StatsService } from './stats.service';

@Module({ imports: [RelaysModule], controllers: [StatsController], providers: [StatsService] })
export class StatsModule {}
