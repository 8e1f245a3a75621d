// socat UDP4-RECV -> UDP4-SENDTO: one process per output, since socat cannot fan out. All of
// them are started by one shell in the relay namespace, so 1,000 relays cost one netns entry.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { start, stop } from '../proc';
import { ADDR, IF, PINNING, pinnedInNs, RELAY_NS } from '../topology';
import { boundUdpSockets, waitUntil } from './ready';
import { ingressPorts, type Endpoint, type RelayUnderTest, type Route, type RunningRelay } from './relay';

const SOCKET_BUFFER_BYTES = 4 * 1024 * 1024; // the same receive buffer every relay gets
const OUTPUT_TTL = 8;

function socatCommand(input: Endpoint, output: Endpoint): string {
  const recv = [
    `UDP4-RECV:${input.port}`,
    'reuseaddr',
    `ip-add-membership=${input.group}:${ADDR.relayIn}`,
    `rcvbuf=${SOCKET_BUFFER_BYTES}`,
  ].join(',');
  const send = [
    `UDP4-SENDTO:${output.group}:${output.port}`,
    `ip-multicast-if=${ADDR.relayOut}`,
    `ip-multicast-ttl=${OUTPUT_TTL}`,
    'ip-multicast-loop=0',
  ].join(',');
  return `socat -u -b 65536 ${recv} ${send} &`;
}

function launcherScript(routes: Route[]): string {
  const lines = ['#!/bin/sh', `# ${IF.relayIn} -> ${IF.relayOut}: one socat per output`];
  for (const route of routes) for (const output of route.outputs) lines.push(socatCommand(route.input, output));
  lines.push('wait');
  return `${lines.join('\n')}\n`;
}

/** The socat processes: the launcher shell's children. */
function childPids(shellPid: number): number[] {
  try {
    const text = readFileSync(`/proc/${shellPid}/task/${shellPid}/children`, 'utf8');
    return text.split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

export const socatRelay: RelayUnderTest = {
  kind: 'socat',
  label: 'socat',
  rewritesGroup: true,
  maxOutputs: Number.MAX_SAFE_INTEGER,
  requires: { command: 'socat', debianPackage: 'socat' },
  async start(routes: Route[], workDir: string): Promise<RunningRelay> {
    const script = path.join(workDir, 'socat-relays.sh');
    writeFileSync(script, launcherScript(routes), { mode: 0o755 });
    const expected = routes.reduce((sum, route) => sum + route.outputs.length, 0);
    const [cmd, args] = pinnedInNs(RELAY_NS, PINNING.relayCpu, 'sh', [script]);
    const shell = start(cmd, args);
    let pids: number[] = [];
    const stopAll = async (): Promise<void> => {
      for (const pid of childPids(shell.pid)) {
        try {
          process.kill(pid, 'SIGTERM');
        } catch {
          // already gone
        }
      }
      await stop(shell);
    };
    try {
      await waitUntil(`${expected} socat sockets`, 30000, async () => {
        if (!shell.running()) throw new Error(`socat launcher exited: ${(await shell.exited).stderr.trim()}`);
        return (await boundUdpSockets(ingressPorts(routes))) >= expected;
      });
      pids = childPids(shell.pid);
    } catch (error) {
      await stopAll();
      throw error;
    }
    return { pids: () => pids, stop: stopAll };
  },
};
