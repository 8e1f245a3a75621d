// The process's one etcd client (MCR_STORE=etcd://...): the relay store, the lease, the leader
// key and the member records all go through it, so mcrd holds one set of connections to etcd.
import type { FactoryProvider } from '@nestjs/common';
import { createEtcdClient, isEtcdUrl, type Etcd3 } from '@mcr/store';
import type { McrdConfig } from '../config/config.types';
import { ETCD_CLIENT, MCRD_CONFIG } from '../tokens';

/** null with a file store: the node runs alone and talks to no etcd. Closed by StoreModule. */
export const etcdClientProvider: FactoryProvider<Etcd3 | null> = {
  provide: ETCD_CLIENT,
  inject: [MCRD_CONFIG],
  useFactory: (config: McrdConfig): Etcd3 | null => {
    if (!isEtcdUrl(config.store)) return null;
    return createEtcdClient({
      url: config.store,
      ca: config.etcdCa,
      cert: config.etcdCert,
      key: config.etcdKey,
      user: config.etcdUser,
      password: config.etcdPassword,
    });
  },
};
