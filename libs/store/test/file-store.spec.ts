// FileStore specifics: the file format on disk, reopening, refusing damaged files without touching
// them, write failures, and the bounded watch history.
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FileStore } from '../src/file-store';
import { RevisionCompactedError, StoreUnavailableError } from '../src/relay-store';
import { StoreFileCorruptError } from '../src/store-file';
import { relaySpec } from './relay-store.contract';
import { makeTempDir } from './temp-dir';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let path: string;
const opened: FileStore[] = [];

async function openStore(options = {}): Promise<FileStore> {
  const store = new FileStore(path, options);
  await store.open();
  opened.push(store);
  return store;
}

beforeEach(async () => {
  temp = await makeTempDir();
  path = join(temp.dir, 'nested', 'dir', 'relays.json');
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close()));
  await temp.remove();
});

describe('FileStore file', () => {
  it('starts empty at revision 0 when the file and its directory are missing, without creating the file (only its lock)', async () => {
    const store = await openStore();
    expect(await store.list()).toEqual({ relays: [], revision: 0 });
    expect(await readdir(join(temp.dir, 'nested', 'dir'))).toEqual(['relays.json.lock']);
  });

  it('writes the documented format, durable before create resolves, with no temp files left', async () => {
    const store = await openStore();
    const relay = await store.create(relaySpec(1));
    const onDisk = JSON.parse(await readFile(path, 'utf8'));
    expect(onDisk).toEqual({ format: 'mcr-relays', version: 1, revision: relay.revision, relays: [relay] });
    expect((await readdir(join(temp.dir, 'nested', 'dir'))).sort()).toEqual(['relays.json', 'relays.json.lock']);
  });

  it('reopens with the same relays and continues the revision sequence', async () => {
    const first = await openStore();
    const a = await first.create(relaySpec(1));
    const b = await first.create(relaySpec(2));
    await first.delete(a.id);
    const listBefore = await first.list();
    await first.close();
    const second = await openStore();
    expect(await second.list()).toEqual(listBefore);
    expect(await second.get(b.id)).toEqual(b);
    const c = await second.create(relaySpec(3));
    expect(c.revision).toBeGreaterThan(listBefore.revision);
  });

  it('opens a file an older mcrd wrote with a name today refused for new relays (an upgrade loses nothing)', async () => {
    const first = await openStore();
    await first.create(relaySpec(1));
    await first.close();
    const written = JSON.parse(await readFile(path, 'utf8')) as { relays: { name: string }[] };
    written.relays[0].name = ' seed ';
    await writeFile(path, JSON.stringify(written));
    const reopened = await openStore();
    expect((await reopened.list()).relays.map((relay) => relay.name)).toEqual([' seed ']);
    await expect(reopened.create({ ...relaySpec(2), name: ' seed2 ' })).rejects.toThrow(
      /leading or trailing whitespace/,
    );
  });

  it('removes temp files a crash left behind, and only those', async () => {
    const dir = join(temp.dir, 'nested', 'dir');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, '.relays.json.4242.0.tmp'), '{"half":');
    await writeFile(join(dir, 'notes.txt'), 'keep me');
    await openStore();
    expect((await readdir(dir)).sort()).toEqual(['notes.txt', 'relays.json.lock']);
  });

  const validFile = JSON.stringify(
    {
      format: 'mcr-relays',
      version: 1,
      revision: 3,
      relays: [{ id: 'a', ...relaySpec(1), enabled: true, revision: 2 }],
    },
    null,
    2,
  );
  it.each([
    ['an empty file', '', 'is empty (truncated?)'],
    ['a truncated file', validFile.slice(0, validFile.length / 2), 'is not valid JSON (truncated or damaged?)'],
    ['garbage', '\u0000\u0001garbage', 'is not valid JSON'],
    ['a JSON array', '[]', 'is not a JSON object'],
    [
      'another format',
      '{"format":"other","version":1,"revision":0,"relays":[]}',
      'has format "other", expected "mcr-relays"',
    ],
    [
      'a newer version',
      '{"format":"mcr-relays","version":2,"revision":0,"relays":[]}',
      'has version 2; this MCR reads version 1',
    ],
    ['a bad revision', '{"format":"mcr-relays","version":1,"revision":-1,"relays":[]}', 'has revision -1'],
    ['no relays', '{"format":"mcr-relays","version":1,"revision":0}', 'has no "relays" array'],
    ['a relay without id', validFile.replace('"id": "a",', ''), 'relays[0] has no id'],
    [
      'a relay revision above the file revision',
      validFile.replace('"revision": 2', '"revision": 9'),
      'relays[0] has revision 9, expected an integer 1..3',
    ],
    [
      'an invalid relay',
      validFile.replace('"port": 1001', '"port": 70000'),
      'relays[0] is not a valid relay: input.port must be an integer 1..65535, got 70000',
    ],
    [
      'duplicate names',
      validFile.replace(
        /"relays": \[([\s\S]*)\]/,
        (_, relay: string) => `"relays": [${relay}, ${relay.replace('"id": "a"', '"id": "b"')}]`,
      ),
      'breaks a uniqueness rule',
    ],
  ])(
    'refuses to open %s, naming the path, the problem and the way out, and leaves it untouched',
    async (_, content, problem) => {
      await mkdir(join(temp.dir, 'nested', 'dir'), { recursive: true });
      await writeFile(path, content);
      const error = await new FileStore(path).open().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(StoreFileCorruptError);
      expect((error as Error).message).toContain(`relay store file ${path} ${problem}`);
      expect((error as Error).message).toContain('move it aside');
      expect(await readFile(path, 'utf8')).toBe(content);
    },
  );

  it('reports an unreadable path (a directory) as unavailable, naming it', async () => {
    await mkdir(path, { recursive: true });
    await expect(new FileStore(path).open()).rejects.toThrow(
      new RegExp(`cannot read relay store file ${path}: EISDIR`),
    );
  });

  it('leaves the file byte-for-byte unchanged after rejected mutations', async () => {
    const store = await openStore();
    const a = await store.create(relaySpec(1));
    const before = await readFile(path, 'utf8');
    const rejected = await Promise.allSettled([
      store.create(relaySpec(2, { name: 'feed-1' })),
      store.create({ ...relaySpec(3), outputs: [] }),
      store.replace('../relays.json', relaySpec(4)),
      store.replace(a.id, relaySpec(1, { enabled: false }), a.revision + 100),
      store.delete(''),
      store.apply({ delete: [a.id], replace: [], create: [relaySpec(5), relaySpec(6, { name: 'feed-5' })] }),
    ]);
    expect(rejected.map((result) => result.status)).toEqual(new Array(6).fill('rejected'));
    expect(await readFile(path, 'utf8')).toBe(before);
  });

  it('rejects a mutation it could not write with StoreUnavailableError and keeps the old state', async () => {
    const store = await openStore();
    const a = await store.create(relaySpec(1));
    const listBefore = await store.list();
    await rm(join(temp.dir, 'nested'), { recursive: true });
    const error = await store.create(relaySpec(2)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as Error).message).toContain(`cannot write relay store file ${path}`);
    expect(await store.list()).toEqual(listBefore);
    await mkdir(join(temp.dir, 'nested', 'dir'), { recursive: true });
    const b = await store.create(relaySpec(2));
    expect(b.revision).toBe(a.revision + 1);
  });

  it('rejects use before open and after close', async () => {
    const store = new FileStore(path);
    await expect(store.list()).rejects.toBeInstanceOf(StoreUnavailableError);
    await store.open();
    await store.close();
    await expect(store.create(relaySpec(1))).rejects.toThrow(`relay store ${path} is not open`);
  });

  it('close waits for queued mutations to be written', async () => {
    const store = new FileStore(path);
    await store.open();
    const creates = [store.create(relaySpec(1)), store.create(relaySpec(2))];
    await store.close();
    await Promise.all(creates);
    expect(JSON.parse(await readFile(path, 'utf8')).relays).toHaveLength(2);
  });
});

describe('FileStore watch history', () => {
  it('replays changes made since open, and throws RevisionCompactedError before that', async () => {
    const first = await openStore();
    await first.create(relaySpec(1));
    await first.close();
    const store = await openStore();
    const { revision } = await store.list();
    expect(() => store.watch(revision - 1, () => undefined)).toThrow(RevisionCompactedError);
    const seen: number[] = [];
    const stoppedAtOnce = store.watch(revision, (change) => seen.push(change.revision));
    stoppedAtOnce(); // never delivers, even what it would have replayed
    const stop = store.watch(revision, (change) => seen.push(change.revision));
    const b = await store.create(relaySpec(2));
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toEqual([b.revision]);
    stop();
  });

  it('keeps only the configured number of changes, trimming whole revisions', async () => {
    const store = await openStore({ watchHistoryChanges: 3 });
    for (let i = 0; i < 4; i++) await store.create(relaySpec(i));
    expect(() => store.watch(0, () => undefined)).toThrow(new RevisionCompactedError(0, 1));
    const seen: number[] = [];
    const stop = store.watch(1, (change) => seen.push(change.revision));
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toEqual([2, 3, 4]);
    stop();
    await store.apply({ delete: [], replace: [], create: [relaySpec(10), relaySpec(11), relaySpec(12)] });
    expect(() => store.watch(4, () => undefined)).not.toThrow();
    expect(() => store.watch(3, () => undefined)).toThrow(RevisionCompactedError);
  });
});
