// Measurements for the notes (printed with their conditions): API requests/s with 1,000 relays
// present, time from a 201 to the first forwarded packet, and service RSS with 0 and 1,000
// relays. Bounds are generous sanity checks for a loaded 2-core machine, not targets.
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { createRelayTopology, startGen, startSink, type Topology } from '../lib';
import { McrdProcess } from './support/mcrd-process';
import { relayBody } from './support/relays';

const RELAYS = 1000;
const CONCURRENCY = 8;

function rssMiB(pid: number): number {
  const kib = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
  return Math.round((kib / 1024) * 10) / 10;
}

async function timed(count: number, task: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) await task(next++);
    }),
  );
  return Math.round((count / ((performance.now() - started) / 1000)) * 10) / 10;
}

describe('mcrd measurements', () => {
  let topo: Topology;
  let mcrd: McrdProcess;

  beforeAll(async () => {
    topo = await createRelayTopology('mcrdbench');
    mcrd = McrdProcess.start({ ns: topo.relay, address: topo.relayMgmtAddress });
    await mcrd.waitReady();
  });
  afterAll(async () => {
    await mcrd?.stop('SIGKILL');
    mcrd?.removeData();
    await topo?.destroy();
  });

  it('measures API throughput, 201-to-first-packet and RSS', async () => {
    const pid = mcrd.child.pid as number;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const rssEmpty = rssMiB(pid);

    const post = (i: number) => async () => {
      const res = await mcrd.json(
        'POST',
        '/api/v1/relays',
        relayBody(`bench-${i}`, 20000 + i, [{ interface: 'out0', group: '239.2.2.2', port: 40000 + i }]),
      );
      if (res.status !== 201) throw new Error(`POST ${i}: ${res.status} ${JSON.stringify(res.body)}`);
    };
    const fill = await timed(RELAYS, (i) => post(i)());
    const rssFull = rssMiB(pid);
    const postWith1000 = await timed(200, (i) => post(RELAYS + i)());
    const getList = await timed(100, async () => {
      const res = await mcrd.fetch('/api/v1/relays');
      if (((await res.json()) as unknown[]).length !== RELAYS + 200) throw new Error('list incomplete');
    });
    const getStats = await timed(100, async () => {
      const res = await mcrd.fetch('/api/v1/stats');
      await res.arrayBuffer();
    });

    // 201 -> first forwarded packet: traffic already flows to the ingress; poll the sink-side counter.
    const sink = await startSink(topo.sink, [
      '--group',
      '239.2.2.9',
      '--port',
      '6999',
      '--interface',
      'sink0',
      '--idle-timeout',
      '1500',
    ]);
    const gen = startGen(topo.gen, [
      '--group',
      '239.1.1.9',
      '--port',
      '5999',
      '--interface',
      'gen0',
      '--rate',
      '20000',
      '--count',
      '60000',
    ]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const body = {
      name: 'latency',
      input: { interface: 'in0', group: '239.1.1.9', port: 5999 },
      outputs: [{ interface: 'out0', group: '239.2.2.9', port: 6999 }],
    };
    const sent = performance.now();
    const created = await mcrd.json('POST', '/api/v1/relays', body);
    const acked = performance.now();
    let firstForwardMs = Number.NaN;
    while (performance.now() - acked < 5000) {
      const stats = await mcrd.json('GET', `/api/v1/relays/${created.body.id}/stats`);
      if (stats.body.outputs[0].packets > 0) {
        firstForwardMs = Math.round((performance.now() - acked) * 100) / 100;
        break;
      }
    }
    await gen;
    const report = await sink.result();

    const lines = [
      `conditions: ${cpus().length} CPUs (${cpus()[0]?.model}), Node ${process.version}, file store, logs at warn, client in the root namespace over a veth, concurrency ${CONCURRENCY}`,
      `RSS: ${rssEmpty} MiB with 0 relays, ${rssFull} MiB with ${RELAYS} relays`,
      `POST /api/v1/relays: ${fill} req/s filling 0 -> ${RELAYS}; ${postWith1000} req/s with ${RELAYS} present`,
      `GET /api/v1/relays (${RELAYS + 200} relays): ${getList} req/s; GET /api/v1/stats: ${getStats} req/s`,
      `POST round trip ${Math.round((acked - sent) * 100) / 100} ms; 201 -> first forwarded packet <= ${firstForwardMs} ms (stats polled back to back; 20 kpps offered); sink received ${report.received}`,
    ];
    process.stdout.write(`\nmcrd measurements\n  ${lines.join('\n  ')}\n`);
    expect(firstForwardMs).toBeLessThan(1000);
    expect(report.received).toBeGreaterThan(0);
    expect(postWith1000).toBeGreaterThan(5);
  });
});
