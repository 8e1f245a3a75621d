// The kernel's own multicast forwarding, set up by smcrouted as static (S,G) routes in0 -> out0.
// The kernel forwards in softirq context, so its cost shows as the relay CPU's busy time.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { start, stop } from '../proc';
import { ADDR, IF, PINNING, pinnedInNs, readInNs, RELAY_NS } from '../topology';
import { waitUntil } from './ready';
import type { RelayUnderTest, Route, RunningRelay } from './relay';

function smcrouteConfig(routes: Route[]): string {
  const lines = [`phyint ${IF.relayIn} enable`, `phyint ${IF.relayOut} enable`];
  for (const route of routes) {
    lines.push(`mroute from ${IF.relayIn} source ${ADDR.gen} group ${route.input.group} to ${IF.relayOut}`);
  }
  return `${lines.join('\n')}\n`;
}

async function installedRoutes(): Promise<number> {
  const cache = await readInNs(RELAY_NS, '/proc/net/ip_mr_cache');
  return cache.split('\n').filter((line) => /^[0-9A-F]{8}\s/.test(line)).length;
}

export const kernelRelay: RelayUnderTest = {
  kind: 'kernel',
  label: 'kernel (smcroute)',
  rewritesGroup: false,
  maxOutputs: 1,
  requires: { command: 'smcrouted', debianPackage: 'smcroute', multicastRouting: true },
  async start(routes: Route[], workDir: string): Promise<RunningRelay> {
    const conf = path.join(workDir, 'smcroute.conf');
    writeFileSync(conf, smcrouteConfig(routes));
    const [cmd, args] = pinnedInNs(RELAY_NS, PINNING.relayCpu, 'smcrouted', [
      '-n',
      '-N',
      '-i',
      'mcrb',
      '-l',
      'err',
      '-f',
      conf,
      '-u',
      path.join(workDir, 'smcroute.sock'),
      '-P',
      path.join(workDir, 'smcroute.pid'),
    ]);
    const daemon = start(cmd, args);
    try {
      await waitUntil(`${routes.length} kernel multicast routes`, 15000, async () => {
        if (!daemon.running()) throw new Error(`smcrouted exited: ${(await daemon.exited).stderr.trim()}`);
        return (await installedRoutes()) >= routes.length;
      });
    } catch (error) {
      await stop(daemon);
      throw error;
    }
    return { pids: () => [], stop: async () => void (await stop(daemon)) };
  },
};
