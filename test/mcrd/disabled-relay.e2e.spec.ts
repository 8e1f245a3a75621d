// A disabled relay holds nothing on the relay host: no group membership (`ip maddr`), no socket,
// zero datagrams received while its stream arrives. Enabling it forwards its stream again, and
// disabling and enabling it leave another relay's stream without a gap.
import { createRelayTopology, runGen, sleep, startGen, startSink, type Topology } from '../lib';
import { McrdProcess } from './support/mcrd-process';

const TOGGLED_GROUP = '239.1.1.4';
const TOGGLED_PORT = 5400;

const steadyRelay = {
  name: 'steady',
  input: { interface: 'in0', group: '239.1.1.1', port: 5000 },
  outputs: [{ interface: 'out0', group: '239.2.2.2', port: 6000 }],
};
const toggledRelay = (enabled: boolean) => ({
  name: 'toggled',
  enabled,
  input: { interface: 'in1', group: TOGGLED_GROUP, port: TOGGLED_PORT },
  outputs: [{ interface: 'out1', group: '239.2.2.5', port: 6400 }],
});

describe('a disabled relay (real mcrd, network namespaces)', () => {
  let topo: Topology;
  let mcrd: McrdProcess;
  const auth = { Authorization: 'Bearer e2e-write' };

  beforeAll(async () => {
    topo = await createRelayTopology('dis');
    mcrd = McrdProcess.start({ ns: topo.relay, address: topo.relayMgmtAddress, env: { MCR_API_TOKEN: 'e2e-write' } });
    await mcrd.waitReady();
  });
  afterAll(async () => {
    await mcrd?.stop('SIGKILL');
    mcrd?.removeData();
    await topo?.destroy();
  });

  /** Whether the relay host holds a membership of `group` on `ifname` (the kernel's table). */
  async function joined(ifname: string, group: string): Promise<boolean> {
    const { stdout } = await topo.relay.ip('maddr', 'show', 'dev', ifname);
    return stdout.split('\n').some((line) => line.trim().split(/\s+/).includes(group));
  }

  /** Sends `count` datagrams of the toggled relay's stream from the generator host. */
  function sendToggledStream(count: number) {
    return runGen(topo.gen, [
      '--group',
      TOGGLED_GROUP,
      '--port',
      String(TOGGLED_PORT),
      '--interface',
      'gen1',
      '--rate',
      '5000',
      '--count',
      String(count),
    ]);
  }

  async function setToggled(id: string, enabled: boolean): Promise<void> {
    const res = await mcrd.json('PUT', `/api/v1/relays/${id}`, toggledRelay(enabled), auth);
    expect(res.status).toBe(200);
  }

  it('holds no membership and receives nothing; enabling forwards; the other stream has no gap', async () => {
    const steady = await mcrd.json('POST', '/api/v1/relays', steadyRelay, auth);
    const toggled = await mcrd.json('POST', '/api/v1/relays', toggledRelay(false), auth);
    expect([steady.status, toggled.status]).toEqual([201, 201]);
    const id = toggled.body.id as string;
    expect(await joined('in0', '239.1.1.1')).toBe(true);
    expect(await joined('in1', TOGGLED_GROUP)).toBe(false);

    const steadySink = await startSink(topo.sink, ['--group', '239.2.2.2', '--port', '6000', '--interface', 'sink0']);
    const steadyGen = startGen(topo.gen, [
      '--group',
      '239.1.1.1',
      '--port',
      '5000',
      '--interface',
      'gen0',
      '--rate',
      '5000',
      '--duration',
      '6',
    ]);
    await sleep(500);

    // Disabled: the stream arrives at in1 and nothing takes it.
    expect((await sendToggledStream(2000)).sent).toBe(2000);
    const disabled = await mcrd.json('GET', `/api/v1/relays/${id}/stats`);
    expect(disabled.body).toMatchObject({ state: 'disabled', packetsIn: 0, drops: { notForwardedStandby: 0 } });
    const metrics = await (await mcrd.fetch('/metrics')).text();
    expect(metrics).toMatch(new RegExp(`^mcr_relay_packets_received_total\\{relay="${id}",name="toggled"\\} 0$`, 'm'));

    // Enabled: joined again, and its stream reaches the sink.
    await setToggled(id, true);
    expect(await joined('in1', TOGGLED_GROUP)).toBe(true);
    const toggledSink = await startSink(topo.sink, [
      '--group',
      '239.2.2.5',
      '--port',
      '6400',
      '--interface',
      'sink1',
      '--idle-timeout',
      '1000',
    ]);
    expect((await sendToggledStream(2000)).sent).toBe(2000);
    expect((await toggledSink.result()).received).toBe(2000);

    // Disabled again while the steady stream still flows: the membership goes at once.
    await setToggled(id, false);
    expect(await joined('in1', TOGGLED_GROUP)).toBe(false);
    await sendToggledStream(1000);
    const again = await mcrd.json('GET', `/api/v1/relays/${id}/stats`);
    expect(again.body).toMatchObject({ state: 'disabled', packetsIn: 2000 });

    const sent = (await steadyGen).sent;
    await sleep(300);
    const report = await steadySink.stop();
    expect(report).toMatchObject({ received: sent, lost: 0, duplicates: 0 });
  });
});
