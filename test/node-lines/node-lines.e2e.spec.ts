// MCR on every supported Node.js LTS line: the engine's Jest suite and an mcrd that starts,
// takes a relay over HTTP and forwards through it, each on Node 22, 24 and 26, all loading the
// one addon built for the machine's node (Node-API 8 is ABI-stable, so it is never rebuilt).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createRelayTopology, run, runGen, startSink, type Topology } from '../lib';
import { loadAddonFrom } from '@mcr/engine/dist/loader';
import { McrdProcess } from '../mcrd/support/mcrd-process';
import { relayBody } from '../mcrd/support/relays';
import { NODE_LINES, nodeOfLine, versionOf } from './support/node-builds';

const REPO = path.resolve(__dirname, '../..');
const JEST_BIN = path.join(REPO, 'node_modules', 'jest', 'bin', 'jest.js');
/** mcrd ports of this suite only (18510, 18511, 18512), so it runs beside the other suites. */
const MCRD_BASE_PORT = 18510;
const DATAGRAMS = 5000;

// The addon the machine's node loads; every line must load this very file.
const addonFile = loadAddonFrom().file;

describe.each(NODE_LINES.map((major, index) => [major, index]))('Node.js %i', (major, index) => {
  let node: string;
  beforeAll(async () => {
    node = await nodeOfLine(major);
  }, 300_000);

  it("passes the engine's Jest suite with the prebuilt addon", async () => {
    const result = await run(node, [JEST_BIN, '--ci', '--runInBand'], {
      cwd: path.join(REPO, 'libs', 'engine'),
      env: { ...process.env, MCR_NATIVE_DIR: path.dirname(addonFile) },
      allowFailure: true,
    });
    expect({ code: result.code, output: result.code === 0 ? '' : result.stderr.slice(-3000) }).toEqual({
      code: 0,
      output: '',
    });
    expect(result.stderr).toMatch(/Tests:\s+\d+ passed, \d+ total/);
    expect(result.stderr).not.toMatch(/failed/);
  });

  it('runs mcrd: it starts, creates a relay over HTTP and forwards every datagram', async () => {
    const topo: Topology = await createRelayTopology(`mcrnl${major}`);
    const mcrd = McrdProcess.start({
      ns: topo.relay,
      address: topo.relayMgmtAddress,
      port: MCRD_BASE_PORT + index,
      node,
      env: { MCR_NATIVE_DIR: path.dirname(addonFile), MCR_NODE_ID: `mcrnl-${major}` },
    });
    try {
      await mcrd.waitReady();
      // The process is this line's node, and it mapped the shared addon file.
      const pid = mcrd.child.pid as number;
      expect(await versionOf(node)).toMatch(new RegExp(`^v${major}\\.`));
      expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0]).toBe(node);
      expect(readFileSync(`/proc/${pid}/maps`, 'utf8')).toContain(addonFile);

      const sink = await startSink(topo.sink, [
        '--group',
        '239.2.2.2',
        '--port',
        '6000',
        '--interface',
        'sink0',
        '--idle-timeout',
        '1500',
      ]);
      expect((await mcrd.json('POST', '/api/v1/relays', relayBody(`line-${major}`, 5000))).status).toBe(201);
      const gen = await runGen(topo.gen, [
        '--group',
        '239.1.1.1',
        '--port',
        '5000',
        '--interface',
        'gen0',
        '--rate',
        '5000',
        '--count',
        String(DATAGRAMS),
      ]);
      const report = await sink.result();
      expect({ sent: gen.sent, received: report.received, duplicates: report.duplicates }).toEqual({
        sent: DATAGRAMS,
        received: DATAGRAMS,
        duplicates: 0,
      });
      expect(await mcrd.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    } finally {
      await mcrd.stop('SIGKILL');
      mcrd.removeData();
      await topo.destroy();
    }
  });
});
