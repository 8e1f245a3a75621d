// Runs capture.py on a host's interface: UDP datagrams that reach it for the watched groups
// (without joining them) and the IGMP/MLD queries that arrive, with their times.
import path from 'node:path';
import { collect, type NetNs } from '../../lib';

const SCRIPT = path.resolve(__dirname, 'capture.py');

export interface CapturedQuery {
  /** Seconds on the capturing host's monotonic clock. */
  at: number;
  source: string;
  version: number;
  group: string;
  protocol: 'igmp' | 'mld';
}

export interface CaptureReport {
  /** Datagrams per "group:port" watched. */
  udp: Record<string, number>;
  queries: CapturedQuery[];
}

/** Starts a capture of `seconds`; resolves once the socket is open, with the report to come. */
export async function startCapture(
  ns: NetNs,
  ifname: string,
  seconds: number,
  targets: string[],
): Promise<{ report: Promise<CaptureReport> }> {
  const child = ns.exec('python3', [SCRIPT, ifname, String(seconds), ...targets], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const outcome = collect(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout?.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`capture.py exited ${code} before it was ready`)));
  });
  const report = outcome.then(({ code, stdout, stderr }) => {
    if (code !== 0) throw new Error(`capture.py exited ${code}: ${stderr}`);
    const lines = stdout.trim().split('\n');
    return JSON.parse(lines[lines.length - 1]) as CaptureReport;
  });
  return { report };
}
