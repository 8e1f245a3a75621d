// Provides the RelayStore named by MCR_STORE, opened (a corrupt file stops start-up here) and
// seeded from MCR_CONFIG's relays at first start; closes it last on shutdown.
import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { createStoreFromUrl, type RelayStore } from '@mcr/store';
import type { McrdConfig } from '../config/config.types';
import { MCRD_CONFIG, RELAY_STORE } from '../tokens';
import { seedStore } from './seed-store';

@Global()
@Module({
  providers: [
    {
      provide: RELAY_STORE,
      inject: [MCRD_CONFIG],
      useFactory: async (config: McrdConfig): Promise<RelayStore> => {
        const store = createStoreFromUrl(config.store, {
          etcd: {
            prefix: config.etcdPrefix, cluster: config.cluster, ca: config.etcdCa, cert: config.etcdCert, key: config.etcdKey,
            user: config.etcdUser, password: config.etcdPassword, onProblem: (message) => new Logger('Store').warn(message),
          },
        });
        await store.open();
        const seeded = await seedStore(store, config.seedRelays);
        if (seeded > 0) new Logger('Store').log(`seeded an empty store with ${seeded} relays from MCR_CONFIG`);
        return store;
      },
    },
  ],
  exports: [RELAY_STORE],
})
export class StoreModule implements OnApplicationShutdown {
  constructor(@Inject(RELAY_STORE) private readonly store: RelayStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
