// The conditions a run is reported under: host, versions, and where everything was pinned.
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { detectMulticastRouting, HOST } from './availability';
import { cpuModel } from './cpu';
import type { Conditions, Summary } from './results';
import { IF, PINNING } from './topology';
import { GENERATOR_SENDING } from './trial';

function firstLine(cmd: string, args: string[]): string {
  try {
    const out = execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
    return (
      out
        .split('\n')
        .find((line) => line.trim())
        ?.trim() ?? 'unknown'
    );
  } catch (error) {
    const stdout = (error as { stdout?: Buffer }).stdout?.toString() ?? '';
    return (
      stdout
        .split('\n')
        .find((line) => line.trim())
        ?.trim() ?? 'not installed'
    );
  }
}

function versionOf(text: string): string {
  return /\d+\.\d+(\.\d+)?/.exec(text)?.[0] ?? text;
}

export function describeConditions(
  quiet: { thresholdShare: number; maxWaitMs: number },
  noise: Summary | null,
): Conditions {
  const t = PINNING.trafficCpu;
  const r = PINNING.relayCpu;
  return {
    kernel: os.release(),
    cpuModel: cpuModel(),
    cpus: os.cpus().length,
    node: process.versions.node,
    pinning: `mcrgen, mcrsink and the harness on CPU ${t}; the relay's processes (socat, node, mcrd, smcrouted) on CPU ${r} (taskset).`,
    rps: `rps_cpus of ${IF.relayIn} and ${IF.relayOut} (relay namespace) = CPU ${r}; ${IF.sink} (sink namespace) and ${IF.gen} = CPU ${t}, so the relay CPU does the relay's receive work and the sink's receive work stays off it.`,
    generator: GENERATOR_SENDING,
    quietThresholdShare: quiet.thresholdShare,
    quietMaxWaitMs: quiet.maxWaitMs,
    noiseBusyShare: noise,
    multicastRouting: detectMulticastRouting(HOST).summary,
    tools: {
      socat: versionOf(firstLine('sh', ['-c', 'socat -V 2>/dev/null | grep "socat version"'])),
      smcroute: versionOf(firstLine('smcrouted', ['-v'])),
    },
  };
}
