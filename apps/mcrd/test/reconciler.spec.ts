// The reconciler against a real FileStore and a strict fake engine: full diff at start, one
// relay per watched change, interface map applied, refusals reported and retried.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { FileStore } from '@mcr/store';
import type { RelaySpec } from '@mcr/model';
import { InterfaceMapper } from '../src/engine/interface-mapper';
import { Reconciler } from '../src/reconciler/reconciler.service';
import { FakeEngine } from './support/fake-engine';
import { waitFor } from './support/test-app';

const spec = (name: string, port: number, inputInterface = 'uplink'): RelaySpec => ({
  name,
  input: { interface: inputInterface, group: '239.1.1.1', port },
  outputs: [{ interface: 'downlink', group: '239.2.2.2', port }],
});

describe('Reconciler', () => {
  beforeAll(() => Logger.overrideLogger(false));
  let dir: string;
  let store: FileStore;
  let engine: FakeEngine;
  let reconciler: Reconciler;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mcrd-reconciler-'));
    store = new FileStore(join(dir, 'relays.json'));
    await store.open();
    engine = new FakeEngine();
  });
  afterEach(async () => {
    reconciler?.onApplicationShutdown();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const start = async (map = 'uplink=eth0,downlink=eth1') => {
    reconciler = new Reconciler(store, engine, new InterfaceMapper(map));
    reconciler.onApplicationBootstrap();
    await waitFor(() => reconciler.isReady);
  };

  it('applies the stored relays at start with host interface names, and removes strays', async () => {
    const a = await store.create(spec('a', 5000));
    engine.relays.set('stray', { id: 'stray', ...spec('stray', 7000) });
    await start();
    expect([...engine.relays.keys()]).toEqual([a.id]);
    expect(engine.relays.get(a.id)).toMatchObject({ input: { interface: 'eth0' }, outputs: [{ interface: 'eth1' }] });
    expect(reconciler.status(a.id)).toEqual({ state: 'forwarding' });
  });

  it('follows every change from the watch, including a multi-relay apply, exactly once', async () => {
    await start();
    const a = await store.create(spec('a', 5000));
    expect(await reconciler.waitForRevision(a.revision, 2000)).toBe(true);
    await store.replace(a.id, { ...spec('a', 5000), enabled: false });
    const created = await store.apply({ create: [spec('b', 5001), spec('c', 5002)], replace: [], delete: [a.id] });
    expect(await reconciler.waitForRevision((await store.list()).revision, 2000)).toBe(true);
    expect([...engine.relays.keys()].sort()).toEqual(created.map((r) => r.id).sort());
    expect(engine.calls).toEqual(['add', 'update', 'remove', 'add', 'add']);
  });

  it('reports a refused relay as failed, keeps no stale copy, and applies it once the interface exists', async () => {
    await start();
    const a = await store.create(spec('a', 5000));
    await reconciler.waitForRevision(a.revision, 2000);
    engine.missingInterfaces.add('eth9');
    const b = await store.replace(a.id, {
      ...spec('a', 5000),
      outputs: [{ interface: 'eth9', group: '239.2.2.2', port: 5000 }],
    });
    await reconciler.waitForRevision(b.revision, 2000);
    expect(reconciler.status(a.id)).toEqual({
      state: 'failed',
      reason: "outputs[0].interface 'eth9': no such interface on this host",
    });
    expect(engine.relays.has(a.id)).toBe(false);
    engine.missingInterfaces.clear();
    reconciler.retryFailed();
    expect(reconciler.status(a.id)).toEqual({ state: 'forwarding' });
    expect(engine.relays.get(a.id)?.outputs[0].interface).toBe('eth9');
  });

  it('reports a relay refused for want of file descriptors with EMFILE, not as a missing interface', async () => {
    await start();
    engine.descriptorsExhausted = true;
    const a = await store.create(spec('a', 5000));
    await reconciler.waitForRevision(a.revision, 2000);
    expect(reconciler.status(a.id)).toEqual({
      state: 'failed',
      reason: "input.interface: cannot look up interface 'eth0' (Too many open files)",
    });
    expect(reconciler.descriptorShortage()).toEqual({ relays: 1, errno: 'EMFILE' });
    engine.descriptorsExhausted = false;
    reconciler.retryFailed();
    expect(reconciler.status(a.id)).toEqual({ state: 'forwarding' });
    expect(reconciler.descriptorShortage()).toBeUndefined();
  });

  it('reports standby and disabled relays by state', async () => {
    const a = await store.create(spec('a', 5000));
    const b = await store.create({ ...spec('b', 5001), enabled: false });
    await start();
    engine.role = 'standby';
    expect(reconciler.status(a.id)?.state).toBe('standby');
    expect(reconciler.status(b.id)?.state).toBe('disabled');
    expect(reconciler.status('unknown')).toBeUndefined();
  });

  it('reports a relay whose interface is down as waiting, unless it is disabled', async () => {
    const a = await store.create(spec('a', 5000));
    const b = await store.create({ ...spec('b', 5001), enabled: false });
    await start();
    engine.counters.set(a.id, { interfacesDown: ['eth1'] });
    engine.counters.set(b.id, { interfacesDown: ['eth1'] });
    expect(reconciler.status(a.id)).toEqual({
      state: 'waiting',
      reason: 'waiting for interface eth1 (down or gone); resumes by itself when back',
    });
    expect(reconciler.status(b.id)).toEqual({ state: 'disabled' });
    expect(new Map([...reconciler.statuses()].map(([id, s]) => [id, s.state]))).toEqual(
      new Map([
        [a.id, 'waiting'],
        [b.id, 'disabled'],
      ]),
    );
    engine.counters.set(a.id, { interfacesDown: [] });
    expect(reconciler.status(a.id)).toEqual({ state: 'forwarding' });
  });

  describe('logging', () => {
    let warn: jest.SpyInstance;
    let log: jest.SpyInstance;
    beforeEach(() => {
      warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
      log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    });
    afterEach(() => jest.restoreAllMocks());

    const rmemMessages = (spy: jest.SpyInstance): string[] =>
      spy.mock.calls
        .map((call) => String(call[1] ?? call[0]))
        .filter((m) => m.includes('receive buffer') || m.includes('ingress socket'));

    it("logs each relay's receive buffer once after the first reconcile, warning where the kernel capped it", async () => {
      const a = await store.create(spec('a', 5000));
      const b = await store.create(spec('b', 5001));
      engine.counters.set(a.id, { rcvbufBytes: 8388608 });
      engine.counters.set(b.id, { rcvbufBytes: 425984 });
      await start();
      expect(rmemMessages(log)).toEqual([
        `relay ${a.id} (a): ingress receive buffer 4194304 bytes as requested (SO_RCVBUF reads 8388608, the kernel doubles it)`,
      ]);
      const [capped] = rmemMessages(warn);
      expect(capped).toMatch(
        new RegExp(
          `^relay ${b.id} \\(b\\): the kernel capped the ingress receive buffer at 212992 bytes, below the 4194304 requested`,
        ),
      );
      expect(capped).toContain('raise net.core.rmem_max');
      expect(capped).toContain('sysctl -w net.core.rmem_max=4194304');
      expect(warn.mock.calls.find((call) => String(call[1]).startsWith(`relay ${b.id}`))?.[0]).toEqual({
        relayId: b.id,
        relayName: 'b',
        rcvbufBytes: 425984,
        requestedBytes: 4194304,
      });
      // Later changes never repeat the report.
      const c = await store.create(spec('c', 5002));
      await reconciler.waitForRevision(c.revision, 2000);
      expect(rmemMessages(log)).toHaveLength(1);
      expect(rmemMessages(warn)).toHaveLength(1);
    });

    it('logs interface-down at warn and interface-up at info, with relay id, name and interface', async () => {
      const a = await store.create(spec('a', 5000));
      await start();
      engine.emit('event', {
        type: 'interface-down',
        relayId: a.id,
        interface: 'eth1',
        message: `output interface eth1 of relay ${a.id} is down`,
      });
      engine.emit('event', {
        type: 'interface-up',
        relayId: a.id,
        interface: 'eth1',
        message: `output interface eth1 of relay ${a.id} is up`,
      });
      const fields = { event: 'engine.interface-down', relayId: a.id, relayName: 'a', interface: 'eth1' };
      expect(warn).toHaveBeenCalledWith(fields, `output interface eth1 of relay ${a.id} is down [relay name a]`);
      expect(log).toHaveBeenCalledWith(
        { ...fields, event: 'engine.interface-up' },
        `output interface eth1 of relay ${a.id} is up [relay name a]`,
      );
    });
  });
});
