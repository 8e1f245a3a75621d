// Root module: wires config, logging, engine, store, reconciler and the HTTP modules, and
// registers the cross-cutting pieces once (token guard, error filter).
import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { ClusterModule } from './cluster/cluster.module';
import { ConfigModule } from './config/config.module';
import { DiagnosticsModule } from './diagnostics/diagnostics.module';
import type { McrdConfig } from './config/config.types';
import { EngineModule } from './engine/engine.module';
import { HealthModule } from './health/health.module';
import { ApiExceptionFilter } from './http/exception.filter';
import { loggerParams } from './http/request-logging';
import { TokenGuard } from './http/token-guard';
import { MetricsModule } from './metrics/metrics.module';
import { QuerierModule } from './querier/querier.module';
import { ReconcilerModule } from './reconciler/reconciler.module';
import { RelaysModule } from './relays/relays.module';
import { StatsModule } from './stats/stats.module';
import { StoreModule } from './store/store.module';
import { TransferModule } from './transfer/transfer.module';
import { UiModule } from './ui/ui.module';

@Module({})
export class AppModule {
  static forRoot(config: McrdConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerParams(config.logLevel, config.logFormat)),
        EngineModule,
        StoreModule,
        ReconcilerModule,
        ClusterModule,
        HealthModule,
        RelaysModule,
        StatsModule,
        DiagnosticsModule,
        TransferModule,
        QuerierModule,
        MetricsModule,
        UiModule,
      ],
      providers: [
        { provide: APP_GUARD, useClass: TokenGuard },
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
      ],
    };
  }
}
