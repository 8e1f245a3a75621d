// createStoreFromUrl: MCR_STORE values to stores, with errors that name the bad value.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FileStore } from '../src/file-store';
import { createStoreFromUrl } from '../src/store-url';

describe('createStoreFromUrl', () => {
  it.each([
    ['file:./data/relays.json', '/srv/mcr/data/relays.json'],
    ['file:data/relays.json', '/srv/mcr/data/relays.json'],
    ['file:/var/lib/mcr/relays.json', '/var/lib/mcr/relays.json'],
    [pathToFileURL('/var/lib/mcr/my relays.json').href, '/var/lib/mcr/my relays.json'],
  ])('%s is a FileStore at %s (relative to cwd)', (url, path) => {
    const store = createStoreFromUrl(url, { cwd: '/srv/mcr' });
    expect(store).toBeInstanceOf(FileStore);
    expect((store as FileStore).path).toBe(path);
  });

  it('resolves relative paths against the working directory by default', () => {
    expect((createStoreFromUrl('file:relays.json') as FileStore).path).toBe(join(process.cwd(), 'relays.json'));
  });

  it.each([
    ['./data/relays.json', "MCR_STORE './data/relays.json' is not a store URL: use file:<path>"],
    ['file:', "MCR_STORE 'file:' names no file"],
    ['file://remote-host/relays.json', "MCR_STORE 'file://remote-host/relays.json' is not a valid file URL"],
  ])('rejects %s', (url, message) => {
    expect(() => createStoreFromUrl(url)).toThrow(message);
  });
});
