// Provides the RelayStore named by MCR_STORE, opened (a corrupt file stops start-up here) and
// seeded from MCR_CONFIG's relays at first start, and the process's one etcd client; closes both last.
import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { createStoreFromUrl, type Etcd3, type RelayStore } from '@mcr/store';
import type { McrdConfig } from '../config/config.types';
import { ETCD_CLIENT, MCRD_CONFIG, RELAY_STORE } from '../tokens';
import { etcdClientProvider } from './etcd-client.provider';
import { seedStore } from './seed-store';

@Global()
@Module({
  providers: [
    etcdClientProvider,
    {
      provide: RELAY_STORE,
      inject: [MCRD_CONFIG, ETCD_CLIENT],
      useFactory: async (config: McrdConfig, client: Etcd3 | null): Promise<RelayStore> => {
        const store = createStoreFromUrl(config.store, {
          etcd: {
            // The TLS settings too: the store names the reason when a TLS handshake fails.
            prefix: config.etcdPrefix,
            cluster: config.cluster,
            ca: config.etcdCa,
            cert: config.etcdCert,
            key: config.etcdKey,
            user: config.etcdUser,
            password: config.etcdPassword,
            client: client ?? undefined,
            onProblem: (message) => new Logger('Store').warn(message),
          },
        });
        try {
          await store.open();
        } catch (error) {
          client?.close(); // start-up stops here, before the shutdown hook that would close it
          throw error;
        }
        const seeded = await seedStore(store, config.seedRelays);
        if (seeded > 0) new Logger('Store').log(`seeded an empty store with ${seeded} relays from MCR_CONFIG`);
        return store;
      },
    },
  ],
  exports: [RELAY_STORE, ETCD_CLIENT],
})
export class StoreModule implements OnApplicationShutdown {
  constructor(
    @Inject(RELAY_STORE) private readonly store: RelayStore,
    @Inject(ETCD_CLIENT) private readonly etcdClient: Etcd3 | null,
  ) {}

  /** The store first: its watch runs on the client. */
  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
    this.etcdClient?.close();
  }
}
