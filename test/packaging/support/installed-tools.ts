// Runs the engine an install put on disk inside a test namespace, never the workspace's copy: the
// packaging suites must prove the shipped binaries work (the installed mcrgen/mcrsink run through
// test/lib's startSink/runGen with their `binary` option).
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { collect, sleep, type NetNs, type ProcessOutcome } from '../../lib';
import { withE2eDatapath } from '../../lib/datapath';

/** What the engine host prints once its relay runs, and again (counters) when told to stop. */
export interface EngineHostReady {
  addon: { file: string; origin: string };
  tools: { mcrgen: string; mcrsink: string };
}

// Plain CommonJS run by the node on the toolchain-free PATH, loading @mcr/engine from the install.
const ENGINE_HOST = `
const { Engine, toolPath } = require('@mcr/engine');
const { addonLocation } = require('@mcr/engine/dist/loader');
const engine = new Engine(JSON.parse(process.argv[3]));
const id = engine.addRelay(JSON.parse(process.argv[2]));
console.log(JSON.stringify({ addon: addonLocation(), tools: { mcrgen: toolPath('mcrgen'), mcrsink: toolPath('mcrsink') } }));
process.on('SIGTERM', () => {
  const stats = engine.relayStats(id);
  const { datapath, datapathReason } = stats;
  console.log(JSON.stringify({ packetsIn: Number(stats.packetsIn), forwarded: Number(stats.outputs[0].packets), datapath, datapathReason }));
  engine.close();
});
`;

export interface InstalledRelayCounters {
  packetsIn: number;
  forwarded: number;
  datapath: string;
  datapathReason?: string;
}

export class InstalledEngineHost {
  private stdout = '';
  private readonly outcome: Promise<ProcessOutcome>;

  private constructor(private readonly child: ChildProcess) {
    child.stdout?.on('data', (chunk: Buffer) => (this.stdout += chunk.toString()));
    this.outcome = collect(child);
  }

  /** Runs an Engine from `installDir`'s node_modules in `ns` with one relay, on the pass's datapath (lib/datapath.ts). */
  static async start(
    ns: NetNs,
    installDir: string,
    bin: string,
    relay: unknown,
  ): Promise<{ host: InstalledEngineHost; ready: EngineHostReady }> {
    const script = path.join(installDir, 'engine-host.js');
    writeFileSync(script, ENGINE_HOST);
    const child = ns.exec(
      path.join(bin, 'node'),
      [script, JSON.stringify(relay), JSON.stringify(withE2eDatapath({}))],
      {
        cwd: installDir,
        env: { PATH: bin },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const host = new InstalledEngineHost(child);
    const deadline = Date.now() + 10_000;
    while (!host.stdout.includes('\n')) {
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`installed engine did not start: ${(await host.outcome).stderr}`);
      }
      await sleep(20);
    }
    return { host, ready: JSON.parse(host.stdout.split('\n')[0]) as EngineHostReady };
  }

  /** SIGTERM: the host prints the relay's counters and datapath and closes the engine (it then exits). */
  async stop(): Promise<InstalledRelayCounters> {
    this.child.kill('SIGTERM');
    const outcome = await this.outcome;
    const lines = outcome.stdout.trim().split('\n');
    if (lines.length < 2) throw new Error(`installed engine host printed no counters: ${outcome.stderr}`);
    return JSON.parse(lines[1]) as InstalledRelayCounters;
  }
}
