// mcrd's engine tuning variables reach the engine: with MCR_ENGINE_CPUS and MCR_ENGINE_BUSY_POLL_US
// the forwarding thread runs pinned and still forwards every datagram; MCR_ENGINE_DATAPATH=ebpf
// forwards in the kernel; a CPU this host does not have stops start-up with a message naming the variable.
import { readdirSync, readFileSync } from 'node:fs';
import { createRelayTopology, runGen, startSink, type Topology } from '../lib';
import { McrdProcess } from './support/mcrd-process';
import { relayBody } from './support/relays';

/** Cpus_allowed_list of every thread of `pid`, as /proc shows it (what `taskset -p` reports). */
function threadAffinities(pid: number): string[] {
  return readdirSync(`/proc/${pid}/task`).map(
    (tid) => /Cpus_allowed_list:\s*(\S+)/.exec(readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8'))?.[1] ?? '',
  );
}

describe('mcrd engine tuning (MCR_ENGINE_*)', () => {
  let topo: Topology;
  const started: McrdProcess[] = [];

  beforeAll(async () => {
    topo = await createRelayTopology('mcrdtune');
  });
  afterAll(async () => {
    for (const mcrd of started) {
      await mcrd.stop('SIGKILL');
      mcrd.removeData();
    }
    await topo?.destroy();
  });

  it('pins the forwarding thread and busy-polls, forwarding every datagram', async () => {
    const mcrd = McrdProcess.start({
      ns: topo.relay,
      address: topo.relayMgmtAddress,
      env: { MCR_ENGINE_CPUS: '1', MCR_ENGINE_BUSY_POLL_US: '200' },
    });
    started.push(mcrd);
    await mcrd.waitReady();
    const affinities = threadAffinities(mcrd.child.pid as number);
    expect(affinities.filter((cpus) => cpus === '1')).toHaveLength(1); // the one worker; the rest keep the process's CPUs
    expect(affinities.filter((cpus) => cpus !== '1').length).toBeGreaterThan(0);

    const sink = await startSink(topo.sink, [
      '--group',
      '239.2.2.2',
      '--port',
      '6100',
      '--interface',
      'sink0',
      '--idle-timeout',
      '1500',
    ]);
    expect((await mcrd.json('POST', '/api/v1/relays', relayBody('tuned', 5100))).status).toBe(201);
    await runGen(topo.gen, [
      '--group',
      '239.1.1.1',
      '--port',
      '5100',
      '--interface',
      'gen0',
      '--rate',
      '10000',
      '--count',
      '10000',
    ]);
    const report = await sink.result();
    expect({ received: report.received, duplicates: report.duplicates }).toEqual({ received: 10000, duplicates: 0 });
  });

  it('MCR_ENGINE_DATAPATH=ebpf forwards in the kernel and says so in stats and metrics', async () => {
    const mcrd = McrdProcess.start({
      ns: topo.relay,
      address: topo.relayMgmtAddress,
      port: 18083,
      env: { MCR_ENGINE_DATAPATH: 'ebpf' },
    });
    started.push(mcrd);
    await mcrd.waitReady();
    const sink = await startSink(topo.sink, [
      ...['--group', '239.2.2.2', '--port', '6200', '--interface', 'sink0', '--idle-timeout', '1500'],
    ]);
    const created = await mcrd.json('POST', '/api/v1/relays', relayBody('in-kernel', 5200));
    expect(created.status).toBe(201);
    const id = (created.body as { id: string }).id;
    await runGen(topo.gen, [
      ...['--group', '239.1.1.1', '--port', '5200', '--interface', 'gen0', '--rate', '10000', '--count', '10000'],
    ]);
    expect(await sink.result()).toMatchObject({ received: 10000, duplicates: 0 });
    const stats = await mcrd.json('GET', `/api/v1/relays/${id}/stats`);
    expect(stats.body).toMatchObject({ datapath: 'ebpf', packetsIn: 10000, outputs: [{ packets: 10000 }] });
    const metrics = await (await mcrd.fetch('/metrics')).text();
    expect(metrics).toContain(`mcr_relay_datapath{relay="${id}",name="in-kernel",datapath="ebpf"} 1`);
  });

  it('stops start-up naming MCR_ENGINE_CPUS when a CPU does not exist here', async () => {
    const mcrd = McrdProcess.start({
      ns: topo.relay,
      address: topo.relayMgmtAddress,
      port: 18082,
      env: { MCR_ENGINE_CPUS: '1000' },
    });
    started.push(mcrd);
    expect((await mcrd.exited).code).toBe(1);
    expect(mcrd.output).toMatch(/mcrd: cannot start: MCR_ENGINE_CPUS \(cpus\[0\]\): .*1000/);
  });
});
