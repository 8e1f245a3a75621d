// Runs the shared RelayStore contract against the EtcdStore on a real etcd (one member, loopback);
// each test gets its own cluster name, so its keys start empty.
import { EtcdStore } from '../src/etcd-store';
import { startEtcd, type EtcdServer } from './etcd-server';
import { describeRelayStoreContract } from './relay-store.contract';

let etcd: EtcdServer;
let clusters = 0;

beforeAll(async () => {
  etcd = await startEtcd();
});
afterAll(async () => {
  await etcd?.stop();
});

describeRelayStoreContract('EtcdStore', async () => {
  const store = new EtcdStore({
    url: `etcd://${etcd.endpoint}`,
    prefix: '/mcr-test',
    cluster: `contract-${++clusters}`,
  });
  await store.open();
  return {
    store,
    async cleanup() {
      await store.close();
    },
  };
});
