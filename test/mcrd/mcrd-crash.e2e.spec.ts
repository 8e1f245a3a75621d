// Durability: mcrd is SIGKILLed in the middle of 200 concurrent creates; after a restart every
// relay that was answered 201 is present, and a sample of them forwards traffic. A second mcrd
// on the same store file while the first lives is refused (it would overwrite acknowledged writes).
import { createRelayTopology, runGen, startSink, type Topology } from '../lib';
import { McrdProcess } from './support/mcrd-process';
import { relayBody } from './support/relays';

const CREATES = 200;
const KILL_AFTER_ACKS = 60;

describe('mcrd crash safety (real process, kill -9)', () => {
  let topo: Topology;
  let mcrd: McrdProcess | undefined;

  beforeAll(async () => {
    topo = await createRelayTopology('mcrdkill');
  });
  afterAll(async () => {
    await mcrd?.stop('SIGKILL');
    mcrd?.removeData();
    await topo?.destroy();
  });

  it('keeps every acknowledged relay across kill -9 during a burst of 200 concurrent creates', async () => {
    const first = McrdProcess.start({ ns: topo.relay, address: topo.relayMgmtAddress });
    mcrd = first;
    await first.waitReady();
    const acknowledged: { id: string; port: number; outPort: number }[] = [];
    let killed = false;
    const burst = Array.from({ length: CREATES }, async (_, i) => {
      const port = 7000 + i;
      const outPort = 17000 + i;
      try {
        const res = await first.json(
          'POST',
          '/api/v1/relays',
          relayBody(`burst-${i}`, port, [{ interface: 'out0', group: '239.2.2.2', port: outPort }]),
        );
        if (res.status === 201) acknowledged.push({ id: res.body.id, port, outPort });
        else if (!killed) throw new Error(`create ${i} answered ${res.status}: ${JSON.stringify(res.body)}`);
      } catch (error) {
        if (!killed) throw error;
      }
      if (acknowledged.length === KILL_AFTER_ACKS && !killed) {
        killed = true;
        first.child.kill('SIGKILL');
      }
    });
    await Promise.all(burst);
    expect((await first.exited).signal).toBe('SIGKILL');
    expect(acknowledged.length).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);
    expect(acknowledged.length).toBeLessThan(CREATES);

    const second = McrdProcess.start({ ns: topo.relay, address: topo.relayMgmtAddress, dataDir: first.dataDir });
    mcrd = second;
    await second.waitReady();
    const stored = new Set(((await second.json('GET', '/api/v1/relays')).body as { id: string }[]).map((r) => r.id));
    const missing = acknowledged.filter((relay) => !stored.has(relay.id));
    process.stdout.write(
      `kill -9 after ${acknowledged.length} of ${CREATES} creates were answered 201; ${stored.size} relays found after restart\n`,
    );
    expect(missing).toEqual([]);

    for (const sample of [
      acknowledged[0],
      acknowledged[Math.floor(acknowledged.length / 2)],
      acknowledged[acknowledged.length - 1],
    ]) {
      const sink = await startSink(topo.sink, [
        '--group',
        '239.2.2.2',
        '--port',
        String(sample.outPort),
        '--interface',
        'sink0',
        '--idle-timeout',
        '1000',
      ]);
      await runGen(topo.gen, [
        '--group',
        '239.1.1.1',
        '--port',
        String(sample.port),
        '--interface',
        'gen0',
        '--rate',
        '10000',
        '--count',
        '2000',
      ]);
      const report = await sink.result();
      expect({ relay: sample.id, received: report.received }).toEqual({ relay: sample.id, received: 2000 });
    }
  });

  it('refuses a second mcrd on a store file that a live mcrd owns, and leaves the store as it was', async () => {
    const owner = mcrd as McrdProcess;
    const before = await owner.json('GET', '/api/v1/relays');
    const rival = McrdProcess.start({
      ns: topo.relay,
      address: topo.relayMgmtAddress,
      dataDir: owner.dataDir,
      port: 18081,
    });
    const exit = await rival.exited;
    expect(exit.code).toBe(1);
    expect(rival.output).toContain(`relay store ${owner.storePath} is in use by process ${owner.child.pid}`);
    expect((await owner.json('GET', '/api/v1/relays')).body).toEqual(before.body);
  });
});
