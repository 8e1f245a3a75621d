// Runs the shared RelayStore contract against the FileStore in a temporary directory.
import { join } from 'node:path';
import { FileStore } from '../src/file-store';
import { describeRelayStoreContract } from './relay-store.contract';
import { makeTempDir } from './temp-dir';

describeRelayStoreContract('FileStore', async () => {
  const temp = await makeTempDir();
  const store = new FileStore(join(temp.dir, 'data', 'relays.json'));
  await store.open();
  return {
    store,
    async cleanup() {
      await store.close();
      await temp.remove();
    },
  };
});
