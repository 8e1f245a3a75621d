// The binding's contract: types crossing the boundary, errors naming fields, and lifecycle.
// Traffic here stays on loopback (interface "lo", 127.0.0.1).
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import path from 'node:path';
import { Engine, EngineError } from '../src';
import { loopbackSpecs } from './support/loopback-spec';

const DIST = path.resolve(__dirname, '..', 'dist');
const loopbackSpec = loopbackSpecs(42000);

function expectEngineError(fn: () => unknown, code: string, field?: string): EngineError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(EngineError);
    const e = error as EngineError;
    expect(e.code).toBe(code);
    if (field !== undefined) expect(e.field).toBe(field);
    return e;
  }
  throw new Error('expected an EngineError');
}

describe('Engine', () => {
  let engine: Engine;
  beforeEach(() => {
    engine = new Engine();
  });
  afterEach(() => engine.close());

  test('forwards loopback datagrams and reports bigint counters', async () => {
    const spec = loopbackSpec();
    const receiver = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => receiver.bind(spec.outputs[0].port, '127.0.0.1', resolve));
    const received: Buffer[] = [];
    receiver.on('message', (message) => received.push(message));
    const id = engine.addRelay(spec);
    expect(typeof id).toBe('string');
    expect(engine.relayIds()).toEqual([id]);

    const sender = dgram.createSocket('udp4');
    for (let i = 0; i < 100; i++) sender.send(Buffer.from(`datagram ${i}`), spec.input.port, '127.0.0.1');
    const deadline = Date.now() + 3000;
    while (received.length < 100 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    sender.close();
    receiver.close();

    expect(received.map(String)).toEqual(Array.from({ length: 100 }, (_, i) => `datagram ${i}`));
    const stats = engine.relayStats(id);
    expect(stats).toMatchObject({ id, name: spec.name, enabled: true, packetsIn: 100n, truncated: 0n });
    expect(typeof stats?.bytesIn).toBe('bigint');
    expect(stats?.outputs[0].packets).toBe(100n);
    expect(stats?.outputs[0].lastPacketAt).toBeGreaterThan(Date.now() - 10_000);
    expect(engine.stats().map((s) => s.id)).toEqual([id]);
    const counts = engine.inputCounts();
    expect(counts.ids).toEqual([id]);
    expect(Object.prototype.toString.call(counts.packetsIn)).toBe('[object Float64Array]'); // another realm's class
    expect([...counts.packetsIn]).toEqual([100]);
  });

  test('uses the caller id, refuses a duplicate id, removes and updates by id', () => {
    const spec = loopbackSpec({ id: 'relay-a' });
    expect(engine.addRelay(spec)).toBe('relay-a');
    expectEngineError(() => engine.addRelay({ ...loopbackSpec(), id: 'relay-a' }), 'ERR_MCR_DUPLICATE');
    engine.updateRelay('relay-a', {
      ...spec,
      outputs: [...spec.outputs, { interface: 'lo', group: '127.0.0.1', port: 9 }],
    });
    expect(engine.relayStats('relay-a')?.outputs).toHaveLength(2);
    engine.removeRelay('relay-a');
    expect(engine.relayStats('relay-a')).toBeUndefined();
    expectEngineError(() => engine.removeRelay('relay-a'), 'ERR_MCR_NOT_FOUND');
    expectEngineError(() => engine.updateRelay('nope', spec), 'ERR_MCR_NOT_FOUND');
  });

  test.each([
    ['a port of 0', { input: { interface: 'lo', group: '127.0.0.1', port: 0 } }, 'input.port', '0'],
    [
      'a port above 65535',
      { outputs: [{ interface: 'lo', group: '127.0.0.1', port: 70000 }] },
      'outputs[0].port',
      '70000',
    ],
    ['a malformed address', { input: { interface: 'lo', group: '239.1.1', port: 5000 } }, 'input.group', '239.1.1'],
    ['an empty output list', { outputs: [] }, 'outputs', undefined],
    [
      'a port that is not a number',
      { input: { interface: 'lo', group: '127.0.0.1', port: 'x' as unknown as number } },
      'input.port',
      'x',
    ],
  ])('refuses %s, naming the field and value', (_what, override, field, value) => {
    const error = expectEngineError(() => engine.addRelay(loopbackSpec(override)), 'ERR_MCR_SPEC', field);
    expect(error.message).toContain(field);
    if (value !== undefined) {
      expect(error.value).toBe(value);
      expect(error.message).toContain(value);
    }
    expect(engine.relayIds()).toEqual([]);
  });

  test('refuses an output identical to the ingress (a loop)', () => {
    const input = { interface: 'lo', group: '127.0.0.1', port: 45999 };
    const error = expectEngineError(
      () => engine.addRelay({ name: 'loop', input, outputs: [{ ...input }] }),
      'ERR_MCR_SPEC',
      'outputs[0]',
    );
    expect(error.message).toMatch(/loop/);
  });

  test('refuses an unknown interface with a system error naming the field', () => {
    const spec = loopbackSpec({ input: { interface: 'nosuch0', group: '239.1.1.1', port: 5000 } });
    const error = expectEngineError(() => engine.addRelay(spec), 'ERR_MCR_SYSTEM', 'input.interface');
    expect(error.message).toContain('nosuch0');
    expect(error.errno).toBe('ENODEV');
  });

  test.each([
    [{ workers: 0 }, 'workers', 'workers: must be an integer 1..256, got 0'],
    [{ batchSize: 1.5 }, 'batchSize', 'batchSize: must be an integer 1..1024, got 1.5'],
    [{ bufferSize: 65536 }, 'bufferSize', 'bufferSize: must be an integer 1..65535, got 65536'],
    [{ busyPollUs: -1 }, 'busyPollUs', 'busyPollUs: must be an integer 0..1000000, got -1'],
    [{ gro: 'yes' as unknown as boolean }, 'gro', 'gro: must be a boolean, got yes'],
    [{ cpus: [0, 1024] }, 'cpus[1]', 'cpus[1]: must be an integer 0..1023, got 1024'],
  ])('refuses the option %j, naming it as the caller wrote it', (options, field, message) => {
    const error = expectEngineError(() => new Engine(options), 'ERR_MCR_OPTION', field);
    expect(error.message).toBe(message);
  });

  test('fills in the contract defaults and keeps the options it was given', () => {
    const tuned = new Engine({ workers: 2, cpus: [] });
    try {
      expect(tuned.options).toMatchObject({
        workers: 2,
        batchSize: 64,
        bufferSize: 9216,
        gso: true,
        gro: false,
        cpus: [],
      });
    } finally {
      tuned.close();
    }
  });

  test('forwards with busy polling on (the option reaches the workers)', async () => {
    const polling = new Engine({ busyPollUs: 2_000 });
    try {
      const spec = loopbackSpec();
      const receiver = dgram.createSocket('udp4');
      await new Promise<void>((resolve) => receiver.bind(spec.outputs[0].port, '127.0.0.1', resolve));
      let received = 0;
      receiver.on('message', () => (received += 1));
      const id = polling.addRelay(spec);
      const sender = dgram.createSocket('udp4');
      for (let i = 0; i < 50; i++) sender.send(Buffer.from(`datagram ${i}`), spec.input.port, '127.0.0.1');
      const deadline = Date.now() + 3000;
      while (received < 50 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      sender.close();
      receiver.close();
      expect(received).toBe(50);
      expect(polling.relayStats(id)?.outputs[0].packets).toBe(50n);
    } finally {
      polling.close();
    }
  });

  test('role and fence calls are accepted and validated', () => {
    expect(engine.role).toBe('active');
    engine.setRole('standby');
    expect(engine.role).toBe('standby');
    expectEngineError(() => engine.setRole('leader' as 'active'), 'ERR_MCR_SPEC', 'role');
    engine.setForwardUntil(process.hrtime.bigint() + 1_000_000_000n);
    engine.clearForwardUntil();
  });

  test('close is idempotent and later calls fail clearly', () => {
    engine.addRelay(loopbackSpec());
    engine.close();
    engine.close();
    expect(engine.closed).toBe(true);
    expectEngineError(() => engine.addRelay(loopbackSpec()), 'ERR_MCR_CLOSED');
  });
});

describe('process lifecycle', () => {
  function runNode(
    script: string,
    timeoutMs: number,
  ): Promise<{ code: number | null; signal: string | null; timedOut: boolean; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, timeoutMs);
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        resolve({ code, signal, timedOut, stderr });
      });
    });
  }
  const open = `const { Engine } = require(${JSON.stringify(DIST)}); const e = new Engine({ workers: 2 });
    e.addRelay({ name: 'x', input: { interface: 'lo', group: '127.0.0.1', port: 46001 }, outputs: [{ interface: 'lo', group: '127.0.0.1', port: 46002 }] });`;

  test('an open engine keeps the process alive', async () => {
    const result = await runNode(open, 1500);
    // stderr says why, should the process end early (e.g. a port taken by another run).
    expect({ timedOut: result.timedOut, stderr: result.stderr }).toEqual({ timedOut: true, stderr: '' });
  });

  test('close() lets the process exit by itself', async () => {
    const result = await runNode(`${open} setTimeout(() => e.close(), 100);`, 5000);
    expect(result).toMatchObject({ timedOut: false, code: 0 });
  });

  test('process.exit() without close() stops the workers: no hang, no crash', async () => {
    const result = await runNode(`${open} setTimeout(() => process.exit(0), 100);`, 5000);
    expect(result).toMatchObject({ timedOut: false, code: 0, signal: null });
    expect(result.stderr).toBe('');
  });
});

describe('traffic tool commands', () => {
  function runBin(
    name: 'mcrgen' | 'mcrsink',
    args: string[],
  ): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [path.join(DIST, 'bin', `${name}.js`), ...args], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('exit', (code) => resolve({ code, stdout, stderr }));
    });
  }

  test.each(['mcrgen', 'mcrsink'] as const)(
    '`%s` runs the shipped tool with its arguments and exit status',
    async (name) => {
      const help = await runBin(name, ['--help']);
      expect(help).toMatchObject({ code: 0 });
      expect(help.stdout).toContain(`usage: ${name}`);
      const usage = await runBin(name, ['--no-such-flag']);
      expect(usage.code).toBe(2);
      expect(usage.stderr).toContain('--no-such-flag');
    },
  );
});
