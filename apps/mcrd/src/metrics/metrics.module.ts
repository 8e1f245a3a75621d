// Prometheus metrics: the registry with mcrd's collectors and the /metrics route.
import { Module } from '@nestjs/common';
import { MCRD_VERSION } from '../build-info';
import type { McrdConfig } from '../config/config.types';
import { InterfaceMapper } from '../engine/interface-mapper';
import type { RelayEngine } from '../engine/relay-engine';
import { ClusterService } from '../cluster/cluster.service';
import { registerClusterMetrics } from '../cluster/cluster-metrics';
import { QuerierModule } from '../querier/querier.module';
import { registerQuerierMetrics } from '../querier/querier-metrics';
import { QuerierService } from '../querier/querier.service';
import { Reconciler } from '../reconciler/reconciler.service';
import { MCRD_CONFIG, RELAY_ENGINE } from '../tokens';
import { MetricsController } from './metrics.controller';
import { METRICS_REGISTRY } from './metrics.module-tokens';
import { createRelayMetrics } from './relay-metrics';

@Module({
  imports: [QuerierModule],
  controllers: [MetricsController],
  providers: [
    {
      provide: METRICS_REGISTRY,
      inject: [RELAY_ENGINE, Reconciler, MCRD_CONFIG, ClusterService, InterfaceMapper, QuerierService],
      useFactory: (
        engine: RelayEngine,
        reconciler: Reconciler,
        config: McrdConfig,
        cluster: ClusterService,
        mapper: InterfaceMapper,
        querier: QuerierService,
      ) =>
        registerQuerierMetrics(
          registerClusterMetrics(
            createRelayMetrics({
              engine,
              statuses: () => reconciler.statuses(),
              relays: () => reconciler.storedRelays(),
              toHost: (relay) => mapper.toHost(relay),
              nodeId: config.nodeId,
              role: () => cluster.role,
              version: MCRD_VERSION,
            }),
            () => cluster.counters,
            () => engine.relayIds(),
          ),
          () => querier.snapshot(),
        ),
    },
  ],
})
export class MetricsModule {}
