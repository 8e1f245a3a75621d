// A relay whose output interface goes down, seen through the real mcrd and mcrctl inside a
// namespace the test owns: state `waiting` with the interface named (stats, list, /metrics, the
// log), back to `forwarding` when it is up again; and the start-up receive-buffer line. No traffic.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkRelayDatapath } from '../lib/datapath';
import { NetNs } from '../lib/netns';
import { mcrctl, McrdProcess, waitForOutput } from './harness';

const PORT = 18080;
const URL = `http://127.0.0.1:${PORT}`;
const STATE_TIMEOUT_MS = 10_000;

let ns: NetNs;
let dir: string;
let mcrd: McrdProcess;

interface RelayStats {
  id: string;
  state: string;
  reason?: string;
  interfacesDown: string[];
  rcvbufBytes: number;
  datapath: string;
  datapathReason?: string;
}

async function cli(args: string[]): Promise<string> {
  const result = await mcrctl(URL, args, {}, ns);
  expect({ args, code: result.code, stderr: result.stderr }).toEqual({ args, code: 0, stderr: '' });
  return result.stdout;
}

async function statsOf(name: string): Promise<RelayStats> {
  const stats = JSON.parse(await cli(['stats', name, '--json'])) as RelayStats;
  checkRelayDatapath(stats, `mcrctl stats ${name}`);
  return stats;
}

/** The engine notices link changes through netlink; give it a moment on a loaded machine. */
async function waitForState(name: string, state: string): Promise<RelayStats> {
  const deadline = Date.now() + STATE_TIMEOUT_MS;
  for (;;) {
    const stats = await statsOf(name);
    if (stats.state === state) return stats;
    if (Date.now() > deadline) throw new Error(`relay ${name} still ${stats.state}, expected ${state}:\n${mcrd.log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function metricsText(): Promise<string> {
  const probe = `fetch('${URL}/metrics').then((r) => r.text()).then((t) => process.stdout.write(t))`;
  return (await ns.run(process.execPath, ['-e', probe])).stdout;
}

beforeAll(async () => {
  ns = await NetNs.create(`mcrctl-if-${process.pid}`);
  // Both ends of the pair stay in the namespace (this kernel has no dummy driver).
  await ns.ip('link', 'add', 'down0', 'type', 'veth', 'peer', 'name', 'down0-peer');
  await ns.ip('addr', 'add', '10.77.0.1/24', 'dev', 'down0');
  await ns.ip('link', 'set', 'down0-peer', 'up');
  await ns.ip('link', 'set', 'down0', 'up');
  dir = mkdtempSync(join(tmpdir(), 'mcrctl-if-e2e-'));
  // Seeded through MCR_CONFIG so the relay exists at start-up and gets the receive-buffer line.
  const config = join(dir, 'mcrd.json');
  writeFileSync(
    config,
    JSON.stringify({
      relays: [
        {
          name: 'lab-down',
          input: { interface: 'lo', group: '127.0.0.1', port: 41100 },
          outputs: [{ interface: 'down0', group: '10.77.0.2', port: 41101 }],
        },
      ],
    }),
  );
  mcrd = new McrdProcess({
    port: PORT,
    storePath: join(dir, 'relays.json'),
    netns: ns,
    env: { MCR_CONFIG: config, MCR_LOG_LEVEL: 'info' },
  });
  await mcrd.start();
});

afterAll(async () => {
  await mcrd?.stop();
  await ns?.destroy();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a relay whose interface goes down', () => {
  it('logs the receive buffer the kernel granted, once, at start-up', async () => {
    const stats = await waitForState('lab-down', 'forwarding');
    expect(stats.rcvbufBytes).toBeGreaterThan(0);
    await waitForOutput(() => mcrd.log, /"msg":"relay [^"]+ \(lab-down\): ingress receive buffer \d+ bytes/, 5_000);
    expect(mcrd.log.match(/ingress receive buffer/g)).toHaveLength(1);
  });

  it('is waiting while its output interface is down, named in stats, list, metrics and the log', async () => {
    await ns.ip('link', 'set', 'down0', 'down');
    const stats = await waitForState('lab-down', 'waiting');
    expect(stats).toMatchObject({
      interfacesDown: ['down0'],
      reason: expect.stringContaining('waiting for interface down0'),
    });
    expect(await cli(['list'])).toMatch(/lab-down\s+waiting\s+lo:127\.0\.0\.1:41100/);
    const table = await cli(['stats']);
    expect(table).toMatch(/\nlab-down\s+waiting\s+socket\s+0/);
    expect(table).toContain('lab-down: waiting for interface down0 (down or gone)');
    const metrics = await metricsText();
    expect(metrics).toContain('mcr_relays{state="waiting"} 1');
    expect(metrics).toMatch(
      new RegExp(`mcr_relay_interface_down\\{relay="${stats.id}",name="lab-down",interface="down0"\\} 1`),
    );
    await waitForOutput(
      () => mcrd.log,
      /"level":40,[^\n]*"event":"engine.interface-down"[^\n]*"relayName":"lab-down","interface":"down0"/,
      5_000,
    );
  });

  it('forwards again once the interface is back, and says so at info', async () => {
    await ns.ip('link', 'set', 'down0', 'up');
    const stats = await waitForState('lab-down', 'forwarding');
    expect(stats.interfacesDown).toEqual([]);
    expect(stats).not.toHaveProperty('reason');
    expect(await metricsText()).not.toContain('mcr_relay_interface_down{');
    await waitForOutput(
      () => mcrd.log,
      /"level":30,[^\n]*"event":"engine.interface-up"[^\n]*"relayName":"lab-down","interface":"down0"/,
      5_000,
    );
  });
});
