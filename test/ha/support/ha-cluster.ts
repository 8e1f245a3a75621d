// Two real mcrd processes sharing one etcd cluster (MCR_STORE=etcd://...), on the HA topology, with
// the sequenced stream that runs through every case and the measurements the suites report.
import { McrdProcess } from '../../mcrd/support/mcrd-process';
import { sleep, startSink, startGen, type SinkReport } from '../../lib/traffic';
import type { EtcdCluster } from '../../lib/etcd';
import type { HaTopology, RelayHost } from './ha-topology';

export const LEASE_TTL_S = 2;
export const STREAM_RATE_PPS = 2_000;
const HTTP_PORT = 18090;
const RELAY = {
  name: 'ha-feed',
  input: { interface: 'uplink', group: '239.1.1.1', port: 5000 },
  outputs: [{ interface: 'downlink', group: '239.9.9.9', port: 6000 }],
};

export class HaNodeProcess {
  process?: McrdProcess;

  constructor(
    readonly nodeId: string,
    readonly host: RelayHost,
    private readonly env: () => Record<string, string>,
  ) {}

  start(extraEnv: Record<string, string> = {}): McrdProcess {
    this.process = McrdProcess.start({
      ns: this.host.ns,
      address: this.host.address,
      port: HTTP_PORT,
      env: {
        MCR_NODE_ID: this.nodeId,
        MCR_INTERFACE_MAP: this.host.interfaceMap,
        MCR_LOG_LEVEL: 'info',
        ...this.env(),
        ...extraEnv,
      },
    });
    return this.process;
  }

  get api(): McrdProcess {
    if (this.process === undefined) throw new Error(`mcrd ${this.nodeId} is not running`);
    return this.process;
  }

  /** 200 on /healthz/active: this node forwards. */
  async isActive(): Promise<boolean> {
    try {
      const res = await this.api.fetch('/healthz/active', { signal: AbortSignal.timeout(1_000) });
      await res.text();
      return res.status === 200;
    } catch {
      return false;
    }
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (this.process === undefined) return;
    await this.process.stop(signal);
    this.process.removeData();
    this.process = undefined;
  }
}

/** Log lines in which a node says something about the lead. */
const LEAD_EVENT = /role: (active|standby)|lease lost|lease renewal failed|handing over/;

export class HaCluster {
  /** relay-a and relay-b, then any node added with addNode. */
  readonly nodes: [HaNodeProcess, HaNodeProcess, ...HaNodeProcess[]];
  private readonly envOf: (host: RelayHost) => () => Record<string, string>;

  constructor(
    readonly topology: HaTopology,
    readonly etcd: EtcdCluster,
    readonly cluster: string,
    extraEnv: Record<string, string> = {},
    /** Variables that differ per node, e.g. the host's own interface names. */
    hostEnv: (host: RelayHost) => Record<string, string> = () => ({}),
  ) {
    const env = (): Record<string, string> => ({
      MCR_STORE: etcd.url,
      MCR_CLUSTER: cluster,
      MCR_LEASE_TTL_S: String(LEASE_TTL_S),
      ...extraEnv,
    });
    this.envOf = (host) => () => ({ ...env(), ...hostEnv(host) });
    this.nodes = [
      new HaNodeProcess('relay-a', topology.relays[0], this.envOf(topology.relays[0])),
      new HaNodeProcess('relay-b', topology.relays[1], this.envOf(topology.relays[1])),
    ];
  }

  /** A further node of the same cluster on `host` (not started); stop() stops it with the others. */
  addNode(nodeId: string, host: RelayHost): HaNodeProcess {
    const node = new HaNodeProcess(nodeId, host, this.envOf(host));
    this.nodes.push(node);
    return node;
  }

  /** Starts both nodes (A first, so it usually leads) and waits until both are ready and one is active. */
  async start(): Promise<void> {
    this.nodes[0].start();
    await this.nodes[0].api.waitReady();
    await this.waitForActive(this.nodes[0]);
    this.nodes[1].start();
    await this.nodes[1].api.waitReady();
  }

  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((node) => node.stop('SIGKILL')));
  }

  /** Creates the stream's relay through `via` and waits until every running node has it armed. */
  async createRelay(via: HaNodeProcess): Promise<{ id: string; revision: number }> {
    const res = await via.api.json('POST', '/api/v1/relays', RELAY);
    if (res.status !== 201) throw new Error(`POST /api/v1/relays answered ${res.status}: ${JSON.stringify(res.body)}`);
    for (const node of this.nodes.filter((n) => n.process !== undefined)) await this.waitForState(node, res.body.id);
    return res.body;
  }

  /** Waits until the node runs the relay (forwarding or standby: armed either way). */
  async waitForState(node: HaNodeProcess, id: string, timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const res = await node.api.json('GET', `/api/v1/relays/${id}/stats`);
      if (res.status === 200 && (res.body.state === 'forwarding' || res.body.state === 'standby'))
        return res.body.state;
      if (Date.now() > deadline)
        throw new Error(
          `relay ${id} not armed on ${node.nodeId}: ${JSON.stringify(res.body)}\n${node.api.output.slice(-3000)}`,
        );
      await sleep(50);
    }
  }

  async active(): Promise<HaNodeProcess | undefined> {
    for (const node of this.nodes) if (node.process !== undefined && (await node.isActive())) return node;
    return undefined;
  }

  async waitForActive(node?: HaNodeProcess, timeoutMs = 15_000): Promise<HaNodeProcess> {
    const deadline = Date.now() + timeoutMs;
    const logged = this.logMarks();
    for (;;) {
      const active = node === undefined ? await this.active() : (await node.isActive()) ? node : undefined;
      if (active !== undefined) return active;
      if (Date.now() > deadline) {
        const events = this.leadEventsSince(logged);
        throw new Error(
          `no active node${node === undefined ? '' : ` (${node.nodeId})`} within ${timeoutMs} ms; ` +
            `what the nodes logged about the lead meanwhile:\n${events.length === 0 ? '(nothing)' : events.join('\n')}`,
        );
      }
      await sleep(50);
    }
  }

  /** Where each running node's output stands now, for leadEventsSince. */
  logMarks(): number[] {
    return this.nodes.map((node) => node.process?.output.length ?? 0);
  }

  /** What each node logged about the lead (role changes, lost leases, handovers) since `marks`. */
  leadEventsSince(marks: number[]): string[] {
    return this.nodes.flatMap((node, i) =>
      (node.process?.output ?? '')
        .slice(marks[i] ?? 0)
        .split('\n')
        .filter((line) => LEAD_EVENT.test(line))
        .map((line) => `${node.nodeId}: ${line}`),
    );
  }

  other(node: HaNodeProcess): HaNodeProcess {
    return node === this.nodes[0] ? this.nodes[1] : this.nodes[0];
  }

  /** Number of nodes answering 200 on /healthz/active. */
  async activeCount(): Promise<number> {
    const answers = await Promise.all(this.nodes.filter((n) => n.process !== undefined).map((n) => n.isActive()));
    return answers.filter(Boolean).length;
  }
}

export interface StreamResult {
  sink: SinkReport;
  sent: number;
  /** Longest time the sink saw nothing: the failover gap. */
  gapMs: number;
}

/** Runs the sequenced stream for `durationS` while `during` runs (started after `leadMs`). */
export async function withStream(
  topology: HaTopology,
  durationS: number,
  during: () => Promise<void>,
  leadMs = 1_000,
  ratePps = STREAM_RATE_PPS,
): Promise<StreamResult> {
  const sink = await startSink(topology.sink, ['--group', '239.9.9.9', '--port', '6000', '--interface', 'sink0']);
  const gen = startGen(topology.gen, [
    '--group',
    '239.1.1.1',
    '--port',
    '5000',
    '--interface',
    'gen0',
    '--rate',
    String(ratePps),
    '--duration',
    String(durationS),
    '--ttl',
    '4',
  ]);
  let failure: { error: unknown } | undefined;
  try {
    await sleep(leadMs);
    await during();
  } catch (error) {
    failure = { error };
  }
  const sent = (await gen).sent;
  await sleep(300);
  const report = await sink.stop();
  if (failure) throw failure.error;
  return { sink: report, sent, gapMs: Number(report.longest_silence_ms) };
}

export function summary(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const median =
    sorted.length % 2 === 1
      ? sorted[(sorted.length - 1) / 2]
      : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  return `n=${values.length} median=${median.toFixed(0)} ms max=${sorted[sorted.length - 1].toFixed(0)} ms all=[${values.map((v) => v.toFixed(0)).join(', ')}]`;
}

/** Nearest-rank percentile (`q` in 0..1) of `values`. */
export function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(sorted.length * q) - 1)];
}

export function percentiles(values: number[]): string {
  const ms = (q: number): string => percentile(values, q).toFixed(1);
  return `n=${values.length} p50=${ms(0.5)} ms p99=${ms(0.99)} ms max=${ms(1)} ms`;
}
