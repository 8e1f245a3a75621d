// Provides the one real Engine of the process (RELAY_ENGINE) and the host interface lookup,
// and closes the engine after the HTTP server has drained on shutdown.
import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { HOST_INTERFACES, RELAY_ENGINE, RELAY_STORE } from '../tokens';
import { SysfsHostInterfaces } from './host-interfaces';
import type { RelayEngine } from './relay-engine';

@Global()
@Module({
  providers: [
    {
      provide: RELAY_ENGINE,
      // Depends on the store so that a bad MCR_STORE or a corrupt store file stops start-up
      // before the engine exists. Loaded lazily: tests that override it never load the addon.
      inject: [RELAY_STORE],
      useFactory: async (): Promise<RelayEngine> => {
        const { Engine } = await import('@mcr/engine');
        return new Engine();
      },
    },
    { provide: HOST_INTERFACES, useValue: new SysfsHostInterfaces() },
  ],
  exports: [RELAY_ENGINE, HOST_INTERFACES],
})
export class EngineModule implements OnApplicationShutdown {
  private readonly logger = new Logger('Engine');

  constructor(@Inject(RELAY_ENGINE) private readonly engine: RelayEngine) {}

  onApplicationShutdown(): void {
    if (this.engine.closed) return;
    this.engine.close();
    this.logger.log('engine closed');
  }
}
