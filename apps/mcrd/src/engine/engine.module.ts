// Provides the one real Engine of the process (RELAY_ENGINE) and the host interface lookup,
// and closes the engine after the HTTP server has drained on shutdown.
import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { ENGINE_OPTIONS } from '@mcr/contract';
import type { McrdConfig } from '../config/config.types';
import { HOST_INTERFACES, MCRD_CONFIG, RELAY_ENGINE, RELAY_STORE } from '../tokens';
import { SysfsHostInterfaces } from './host-interfaces';
import type { RelayEngine } from './relay-engine';

/** "cpus[0]: ..." from the engine becomes "MCR_ENGINE_CPUS (cpus[0]): ...", the contract's variable for the option. */
function inEnvironmentTerms(error: unknown): unknown {
  const field = (error as { field?: unknown }).field;
  const option = typeof field === 'string' ? /^\w+/.exec(field)?.[0] : undefined;
  const variable = ENGINE_OPTIONS.find((o) => o.name === option)?.environment;
  if (variable === undefined) return error;
  return new Error(`${variable} (${field as string}): ${(error as Error).message}`);
}

@Global()
@Module({
  providers: [
    {
      provide: RELAY_ENGINE,
      // Depends on the store so that a bad MCR_STORE or a corrupt store file stops start-up
      // before the engine exists. Loaded lazily: tests that override it never load the addon.
      inject: [RELAY_STORE, MCRD_CONFIG],
      useFactory: async (_store: unknown, config: McrdConfig): Promise<RelayEngine> => {
        const { Engine } = await import('@mcr/engine');
        try {
          return new Engine(config.engine);
        } catch (error) {
          throw inEnvironmentTerms(error);
        }
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
