// Runs capture.py on a host's interface: UDP datagrams that reach it for the watched groups
// (without joining them), the IGMP/MLD queries and reports, with their times.
import path from 'node:path';
import { collect, type NetNs } from '../../lib';

const SCRIPT = path.resolve(__dirname, 'capture.py');

export interface CapturedQuery {
  /** Seconds on the capturing host's monotonic clock, at receipt. */
  at: number;
  source: string;
  version: number;
  group: string;
  protocol: 'igmp' | 'mld';
}

/** A membership report: [record type (2 = IS_EX / join, 3 = TO_IN / leave, ...), group] per record. */
export interface CapturedReport {
  at: number;
  records: Array<[number, string]>;
}

export interface CaptureReport {
  /** Datagrams per "group:port" watched, and when (s, monotonic) the first and last came. */
  udp: Record<string, number>;
  udp_first_at: Record<string, number>;
  udp_last_at: Record<string, number>;
  queries: CapturedQuery[];
  reports: CapturedReport[];
}

/**
 * Starts a capture of `seconds`; resolves once the socket is open, with the report to come.
 * `outgoing`: count what the host itself sends too (a relay's own output).
 */
export async function startCapture(
  ns: NetNs,
  ifname: string,
  seconds: number,
  targets: string[],
  { outgoing = false } = {},
): Promise<{ report: Promise<CaptureReport> }> {
  const args = [SCRIPT, ...(outgoing ? ['--outgoing'] : []), ifname, String(seconds), ...targets];
  const child = ns.exec('python3', args, { stdio: ['ignore', 'pipe', 'pipe'] });
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
