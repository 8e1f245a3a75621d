// A real three-member etcd cluster for the HA suites, inside one network namespace of the test's
// own: temp data dirs, readiness by `etcdctl endpoint health`, members stopped (SIGTERM, then
// SIGKILL after a bound) and restarted one by one, the raft leader found, history compacted, and
// etcd's own WAL fsync and proposal counters read, to tell etcd's latency from MCR's.
import type { ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { NetNs } from './netns';

const CLIENT_PORT = 2379;
const PEER_PORT = 2380;
const READY_TIMEOUT_MS = 30_000;
/** The last member of a cluster can take 5-10 s to exit on SIGTERM (STACK.md). */
const STOP_TIMEOUT_MS = 4_000;

interface Member {
  name: string;
  address: string;
  dataDir: string;
  process?: ChildProcess;
  exited?: Promise<void>;
  output: string;
}

export interface EtcdClusterOptions {
  /** Raft tuning: quick elections and leases for quick tests (STACK.md: TTL 1 s then grantable). */
  heartbeatMs?: number;
  electionMs?: number;
}

export interface EtcdServerStats {
  /** Raft proposals committed (every write, lease grant/revoke, and txn with a write op). */
  proposalsCommitted: number;
  fsyncs: number;
  /** Upper bound of a histogram bucket in seconds -> WAL fsyncs that took longer than it. */
  fsyncsOver: Map<number, number>;
}

/** The difference of two readings: what etcd did in between. */
export function etcdStatsDelta(before: EtcdServerStats, after: EtcdServerStats): EtcdServerStats {
  const fsyncsOver = new Map([...after.fsyncsOver].map(([le, n]) => [le, n - (before.fsyncsOver.get(le) ?? 0)]));
  return {
    proposalsCommitted: after.proposalsCommitted - before.proposalsCommitted,
    fsyncs: after.fsyncs - before.fsyncs,
    fsyncsOver,
  };
}

/** "fsyncs n, >32 ms a, >128 ms b, >256 ms c" for a report line. */
export function describeFsyncs(stats: EtcdServerStats): string {
  const over = (s: number): number => stats.fsyncsOver.get(s) ?? Number.NaN;
  return `WAL fsyncs ${stats.fsyncs} (over 32 ms: ${over(0.032)}, over 128 ms: ${over(0.128)}, over 256 ms: ${over(0.256)}), raft proposals ${stats.proposalsCommitted}`;
}

function metricValue(text: string, name: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? 0 : Number(line.slice(name.length + 1));
}

function histogramBuckets(text: string, name: string): [number, number][] {
  const pattern = new RegExp(`^${name}_bucket\\{le="([^"]+)"\\} (\\S+)$`);
  return text.split('\n').flatMap((line) => {
    const match = pattern.exec(line);
    return match === null || match[1] === '+Inf' ? [] : [[Number(match[1]), Number(match[2])] as [number, number]];
  });
}

/**
 * Where members keep their data: tmpfs when the host has it. The suites test MCR, not the disk:
 * on a busy CI disk one slow fsync stalls etcd's raft for longer than the 2 s leases the HA suites
 * use, and a lease that expires that way moves the lead in a test that asserts nothing moves.
 */
function scratchDir(): string {
  try {
    accessSync(SHARED_MEMORY_DIR, constants.W_OK);
    return SHARED_MEMORY_DIR;
  } catch {
    return tmpdir();
  }
}
const SHARED_MEMORY_DIR = '/dev/shm';

export class EtcdCluster {
  private readonly root: string;

  private constructor(
    readonly ns: NetNs,
    private readonly members: Member[],
    private readonly options: Required<EtcdClusterOptions>,
  ) {
    this.root = path.dirname(members[0].dataDir);
  }

  /** Starts one member per address (already configured in `ns`) and waits until all are healthy. */
  static async start(ns: NetNs, addresses: string[], options: EtcdClusterOptions = {}): Promise<EtcdCluster> {
    const root = mkdtempSync(path.join(scratchDir(), 'mcr-etcd-'));
    const members = addresses.map((address, i) => ({
      name: `etcd${i + 1}`,
      address,
      dataDir: path.join(root, `etcd${i + 1}`),
      output: '',
    }));
    const cluster = new EtcdCluster(ns, members, {
      heartbeatMs: options.heartbeatMs ?? 50,
      electionMs: options.electionMs ?? 500,
    });
    try {
      for (let i = 0; i < members.length; i++) cluster.launch(i, 'new');
      await cluster.waitHealthy(members.map((_, i) => i));
      return cluster;
    } catch (error) {
      await cluster.stop();
      throw error;
    }
  }

  /** `etcd://a:2379,b:2379,c:2379` for MCR_STORE. */
  get url(): string {
    return `etcd://${this.members.map((m) => `${m.address}:${CLIENT_PORT}`).join(',')}`;
  }

  endpoint(index: number): string {
    return `${this.members[index].address}:${CLIENT_PORT}`;
  }

  get size(): number {
    return this.members.length;
  }

  /** Runs etcdctl inside the namespace against `endpoints` (default: every running member). */
  async etcdctl(args: string[], endpoints = this.running().map((i) => this.endpoint(i))): Promise<string> {
    const result = await this.ns.run('env', [
      'ETCDCTL_API=3',
      'etcdctl',
      `--endpoints=${endpoints.join(',')}`,
      '--command-timeout=3s',
      ...args,
    ]);
    return result.stdout;
  }

  running(): number[] {
    return this.members.flatMap((m, i) => (m.process !== undefined ? [i] : []));
  }

  /** Index of the member that is raft leader now. */
  async leaderIndex(): Promise<number> {
    const statuses = JSON.parse(await this.etcdctl(['endpoint', 'status', '-w', 'json'])) as {
      Endpoint: string;
      Status: { header: { member_id: number | string }; leader: number | string };
    }[];
    const leader = statuses.find((s) => String(s.Status.header.member_id) === String(s.Status.leader));
    if (leader === undefined) throw new Error(`no etcd member reports itself leader: ${JSON.stringify(statuses)}`);
    return this.members.findIndex((m) => leader.Endpoint.includes(m.address));
  }

  /** Stops one member: SIGTERM (or the given signal), SIGKILL after a bound; resolves once it exited. */
  async stopMember(index: number, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const member = this.members[index];
    if (member.process === undefined) return;
    const child = member.process;
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await member.exited;
    clearTimeout(timer);
    member.process = undefined;
  }

  /** Restarts a stopped member on its data dir and waits until it is healthy. */
  async restartMember(index: number): Promise<void> {
    this.launch(index, 'existing');
    await this.waitHealthy([index]);
  }

  /** Compacts the history up to the current revision; returns that revision. */
  async compact(): Promise<number> {
    const statuses = JSON.parse(await this.etcdctl(['endpoint', 'status', '-w', 'json'])) as {
      Status: { header: { revision: number } };
    }[];
    const revision = Math.max(...statuses.map((s) => Number(s.Status.header.revision)));
    await this.etcdctl(['compact', String(revision)]);
    return revision;
  }

  /**
   * etcd's own view of its latency, summed over the running members: WAL fsyncs and raft proposals
   * committed so far (from each member's /metrics). Two readings bracket a measurement.
   */
  async serverStats(): Promise<EtcdServerStats> {
    const texts = await Promise.all(
      this.running().map(async (i) =>
        (await fetch(`http://${this.endpoint(i)}/metrics`, { signal: AbortSignal.timeout(3_000) })).text(),
      ),
    );
    const stats: EtcdServerStats = { proposalsCommitted: 0, fsyncs: 0, fsyncsOver: new Map() };
    for (const text of texts) {
      stats.proposalsCommitted += metricValue(text, 'etcd_server_proposals_committed_total');
      stats.fsyncs += metricValue(text, 'etcd_disk_wal_fsync_duration_seconds_count');
      for (const [le, count] of histogramBuckets(text, 'etcd_disk_wal_fsync_duration_seconds')) {
        stats.fsyncsOver.set(le, (stats.fsyncsOver.get(le) ?? 0) + count);
      }
    }
    // Buckets are cumulative (<= le): turn them into "slower than le".
    for (const [le, atMost] of stats.fsyncsOver) stats.fsyncsOver.set(le, stats.fsyncs - atMost);
    return stats;
  }

  async stop(): Promise<void> {
    await Promise.all(this.members.map((_, i) => this.stopMember(i)));
    rmSync(this.root, { recursive: true, force: true });
  }

  private launch(index: number, state: 'new' | 'existing'): void {
    const member = this.members[index];
    const initialCluster = this.members.map((m) => `${m.name}=http://${m.address}:${PEER_PORT}`).join(',');
    const child = this.ns.exec(
      'etcd',
      [
        '--name',
        member.name,
        '--data-dir',
        member.dataDir,
        '--logger=zap',
        '--log-level=error',
        '--listen-client-urls',
        `http://${member.address}:${CLIENT_PORT}`,
        '--advertise-client-urls',
        `http://${member.address}:${CLIENT_PORT}`,
        '--listen-peer-urls',
        `http://${member.address}:${PEER_PORT}`,
        '--initial-advertise-peer-urls',
        `http://${member.address}:${PEER_PORT}`,
        '--initial-cluster',
        initialCluster,
        '--initial-cluster-state',
        state,
        '--initial-cluster-token',
        'mcr-test',
        `--heartbeat-interval=${this.options.heartbeatMs}`,
        `--election-timeout=${this.options.electionMs}`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    member.output = '';
    child.stdout?.on('data', (chunk: Buffer) => (member.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (member.output += chunk.toString()));
    member.process = child;
    member.exited = new Promise((resolve) => child.once('exit', () => resolve()));
  }

  private async waitHealthy(indexes: number[]): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      const exited = indexes.find((i) => this.members[i].process?.exitCode !== null);
      if (exited !== undefined)
        throw new Error(`etcd member ${this.members[exited].name} exited:\n${this.members[exited].output}`);
      try {
        await this.etcdctl(
          ['endpoint', 'health'],
          indexes.map((i) => this.endpoint(i)),
        );
        return;
      } catch (error) {
        if (Date.now() > deadline) {
          throw new Error(
            `etcd members ${indexes.map((i) => this.members[i].name).join(', ')} not healthy within ${READY_TIMEOUT_MS} ms: ${(error as Error).message}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }
}
