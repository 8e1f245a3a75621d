// A redundant relay through the binding: the B leg and its settings cross into the core, the
// same datagram sent on both legs leaves once, and the legs' counters come back typed.
import dgram from 'node:dgram';
import { Engine, EngineError } from '../src';
import { loopbackSpecs } from './support/loopback-spec';

const loopbackSpec = loopbackSpecs(44000);

function redundantSpec() {
  const primary = loopbackSpec();
  const second = loopbackSpec(); // only its ingress port is used, as the B leg
  return {
    ...primary,
    redundancy: { input: second.input, mode: 'merge' as const, key: 'payload' as const, windowMs: 500 },
  };
}

describe('Engine with redundancy', () => {
  let engine: Engine;
  beforeEach(() => {
    engine = new Engine();
  });
  afterEach(() => engine.close());

  test('forwards each datagram once whichever leg brings it, and reports both legs', async () => {
    const spec = redundantSpec();
    const receiver = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => receiver.bind(spec.outputs[0].port, '127.0.0.1', resolve));
    const received: string[] = [];
    receiver.on('message', (message) => received.push(String(message)));
    const id = engine.addRelay(spec);
    const sender = dgram.createSocket('udp4');
    const send = (text: string, port: number) =>
      new Promise<void>((resolve) => sender.send(Buffer.from(text), port, '127.0.0.1', () => resolve()));
    for (let i = 0; i < 50; i++) {
      if (i % 5 !== 0) await send(`d${i}`, spec.input.port); // A loses every fifth
      if (i % 5 !== 1) await send(`d${i}`, spec.redundancy.input.port); // B loses others
    }
    const deadline = Date.now() + 3000;
    while (received.length < 50 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 50));
    sender.close();
    receiver.close();

    expect([...received].sort()).toEqual(Array.from({ length: 50 }, (_, i) => `d${i}`).sort());
    const stats = engine.relayStats(id);
    expect(stats?.activeLeg).toBeNull();
    expect(stats?.legs).toHaveLength(2);
    expect(stats?.legs[0].legPackets).toBe(40n);
    expect(stats?.legs[1].legPackets).toBe(40n);
    expect((stats?.legs[0].firstCopies ?? 0n) + (stats?.legs[1].firstCopies ?? 0n)).toBe(50n);
    expect((stats?.legs[0].duplicates ?? 0n) + (stats?.legs[1].duplicates ?? 0n)).toBe(30n);
    expect(stats?.legs[1].silentForMs).toEqual(expect.any(Number));
  });

  test('a plain relay has no legs and no active leg', () => {
    const id = engine.addRelay(loopbackSpec());
    expect(engine.relayStats(id)).toMatchObject({ legs: [], activeLeg: null });
  });

  test('failover reports the active leg', () => {
    const spec = redundantSpec();
    const id = engine.addRelay({ ...spec, redundancy: { ...spec.redundancy, mode: 'failover' } });
    expect(engine.relayStats(id)?.activeLeg).toBe(0);
  });

  test.each([
    [{ windowMs: 0 }, 'redundancy.windowMs'],
    [{ lossMs: 60001 }, 'redundancy.lossMs'],
    [{ mode: 'both' }, 'redundancy.mode'],
  ])('refuses %j naming the field', (override, field) => {
    const spec = redundantSpec();
    const bad = { ...spec, redundancy: { ...spec.redundancy, ...override } } as typeof spec;
    expect(() => engine.addRelay(bad)).toThrow(EngineError);
    try {
      engine.addRelay(bad);
    } catch (error) {
      expect((error as EngineError).field).toBe(field);
    }
  });
});
