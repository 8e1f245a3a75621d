// Provides the one real Engine of the process (RELAY_ENGINE) and the host interface lookup,
// and closes the engine after the HTTP server has drained on shutdown.
import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { McrdConfig } from '../config/config.types';
import { HOST_INTERFACES, MCRD_CONFIG, RELAY_ENGINE, RELAY_STORE } from '../tokens';
import { SysfsHostInterfaces } from './host-interfaces';
import type { RelayEngine } from './relay-engine';

/** The MCR_ENGINE_* variable behind each engine option, for start-up errors an operator can act on. */
const ENGINE_VARIABLES: Record<string, string> = {
  workers: 'MCR_ENGINE_WORKERS',
  cpus: 'MCR_ENGINE_CPUS',
  realtimePriority: 'MCR_ENGINE_REALTIME_PRIORITY',
  busyPollUs: 'MCR_ENGINE_BUSY_POLL_US',
  gro: 'MCR_ENGINE_GRO',
};

/** "options.cpus[0]: ..." from the engine becomes "MCR_ENGINE_CPUS (options.cpus[0]): ...". */
function inEnvironmentTerms(error: unknown): unknown {
  const field = (error as { field?: unknown }).field;
  const option = typeof field === 'string' ? /^options\.(\w+)/.exec(field)?.[1] : undefined;
  const variable = option === undefined ? undefined : ENGINE_VARIABLES[option];
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
