// docs/benchmarks.md, regenerated from one run's JSON: ratios to the kernel path and to socat,
// latency, fan-out, many relays, and the conditions (pinning, noise) the numbers were taken under.
import { summarize, type BenchRun, type CellResult, type Summary } from '../results';
import type { TrialResult } from '../trial';
import { ebpfTargetsSection } from './ebpf-targets';
import { protectionSection } from './protection';

const fmtInt = (n: number): string => Math.round(n).toLocaleString('en-US');
const fmtSpread = (s: Summary | null, digits = 0): string => {
  if (!s) return 'n/a';
  const f = (n: number): string => (digits === 0 ? fmtInt(n) : n.toFixed(digits));
  return s.values.length > 1 ? `${f(s.median)} (${f(s.min)}–${f(s.max)})` : f(s.median);
};
const ratio = (a: Summary | null | undefined, b: Summary | null | undefined): string =>
  a && b && b.median > 0 ? `${(a.median / b.median).toFixed(2)}×` : 'n/a';

const percent = (s: Summary | null): string => (s ? `${Math.round(s.median * 100)}%` : 'n/a');

function cellOf(run: BenchRun, relay: string, size: number): CellResult | undefined {
  return run.cells.find((c) => c.relay === relay && c.sizeBytes === size);
}

/** A relay that produced a max-rate figure at some payload size in this run. */
const measured = (run: BenchRun, relay: string): boolean =>
  run.cells.some((c) => c.relay === relay && (c.maxLosslessPps?.median ?? 0) > 0);

/**
 * The relays the ratio columns divide by: the kernel's own forwarding where it ran, else MCR's
 * bare core (the fastest thing on a host whose kernel cannot route multicast); socat where it ran.
 */
export function baselines(run: BenchRun): { relay: string; label: string }[] {
  const primary = measured(run, 'kernel') ? 'kernel' : 'mcr-core';
  const label = (relay: string): string => run.cells.find((c) => c.relay === relay)?.label ?? relay;
  return [primary, 'socat'].filter((relay) => measured(run, relay)).map((relay) => ({ relay, label: label(relay) }));
}

/** A run measured with the exact meter (exact-cpu.ts); older runs carry /proc figures only. */
const hasExactCpu = (run: BenchRun): boolean => run.cells.some((c) => c.fixedRateCpu !== undefined);

/** The CPU columns: exact cost at max and at the fixed rate, or the /proc figures of an older run. */
function cpuColumns(run: BenchRun): { header: string; cells: (cell: CellResult) => string } {
  if (!hasExactCpu(run)) {
    return {
      header: 'relay CPU ns / datagram | relay core busy ns / datagram',
      cells: (cell) => `${fmtSpread(cell.cpuNsPerPacket)} | ${fmtSpread(cell.coreNsPerPacket)}`,
    };
  }
  const pps = fmtInt(run.cells.find((c) => c.fixedRateCpu)?.fixedRateCpu?.pps ?? 0);
  return {
    header: `exact relay CPU ns / datagram at max | at ${pps} pps | NET_RX softirq share at ${pps} pps`,
    cells: (cell) =>
      `${fmtSpread(cell.cpuNsPerPacket)} | ${fmtSpread(cell.fixedRateCpu?.nsPerDatagram ?? null)} | ` +
      percent(cell.fixedRateCpu?.softirqShare ?? null),
  };
}

function rateTable(run: BenchRun, sizes: number[]): string[] {
  const bases = baselines(run);
  const cpu = cpuColumns(run);
  const lines = [
    `| relay | payload | max lossless pps, median (min–max) | ${bases.map((b) => `vs ${b.label} | `).join('')}${cpu.header} | limited by |`,
    `|---|---:|---:|${'---:|'.repeat(bases.length)}${'---:|'.repeat(cpu.header.split('|').length)}---|`,
  ];
  for (const size of sizes) {
    const bs = bases.map((b) => cellOf(run, b.relay, size)?.maxLosslessPps);
    for (const cell of run.cells.filter((c) => c.sizeBytes === size)) {
      lines.push(
        `| ${cell.label} | ${size} B | ${fmtSpread(cell.maxLosslessPps)} | ${bs.map((b) => `${ratio(cell.maxLosslessPps, b)} | `).join('')}` +
          `${cpu.cells(cell)} | ${[...new Set(cell.limitedBy)].join(', ') || cell.error || 'n/a'} |`,
      );
    }
  }
  return lines;
}

/** What this host could not run, said before any figure so that no reader hunts for a missing row. */
function unavailableSection(run: BenchRun): string[] {
  const left = run.unavailable ?? [];
  if (left.length === 0) return [];
  const bases = baselines(run)
    .map((b) => `"${b.label}"`)
    .join(' and ');
  return [
    '## Not run on this host',
    '',
    ...left.map((u) => `- ${u.label}: ${u.reason}.`),
    '',
    ...(left.some((u) => u.relay === 'kernel')
      ? [
          'On a kernel without multicast routing nothing in the kernel can forward multicast between',
          'interfaces: a user-space relay such as MCR is the only way to do it. MCR needs nothing beyond',
          `UDP sockets. The ratio columns below divide by ${bases || 'nothing (no baseline ran)'} instead of the kernel path.`,
          '',
        ]
      : []),
  ];
}

/** The last committed run that had the kernel path, kept beside a run on a kernel without it. */
export interface KernelReference {
  run: BenchRun;
  jsonName: string;
}

function kernelReferenceSection(reference: KernelReference | undefined): string[] {
  if (!reference) return [];
  const { run } = reference;
  const sizes = [...new Set(run.cells.map((c) => c.sizeBytes))].sort((a, b) => a - b);
  return [
    `## Last run with the kernel path: ${run.startedAt.slice(0, 10)}, Linux ${run.conditions.kernel}`,
    '',
    `The same harness on a kernel that could still route multicast (\`bench/results/${reference.jsonName}\`,`,
    `profile \`${run.profile}\`, ${run.conditions.cpuModel}, ${run.conditions.cpus} CPUs, Node ${run.conditions.node}). Its ratios are`,
    'to its own kernel path and socat; it is not comparable cell by cell with the run above.',
    '',
    ...rateTable(run, sizes),
    '',
  ];
}

/** Runs before relayCoreBusyShare was recorded carry only the whole window's busy seconds. */
const relayCoreShare = (t: TrialResult): number =>
  t.relayCoreBusyShare ?? (t.windowS > 0 ? t.relayCoreBusyS / t.windowS : Number.NaN);

/** Per search, the lowest offered rate above its max lossless rate that failed: where it stopped. */
function firstFailures(cell: CellResult): TrialResult[] {
  return cell.searches.flatMap((s) => {
    const failing = s.trials
      .filter((t) => !t.passed && t.offeredPps > s.maxLosslessPps)
      .sort((a, b) => a.offeredPps - b.offeredPps);
    return failing.length > 0 ? [failing[0]] : [];
  });
}

/** Shares of the first failures' lost datagrams by where the kernel counted them refused. */
function whereLost(failed: TrialResult[]): string {
  const counted = failed.filter((t) => t.relayDrops !== undefined);
  const lost = counted.reduce((sum, t) => sum + t.lost, 0);
  if (counted.length === 0 || lost <= 0) return 'n/a';
  const backlog = counted.reduce((sum, t) => sum + t.relayDrops.backlog, 0);
  const socket = counted.reduce((sum, t) => sum + t.relayDrops.relaySocket, 0);
  const sink = counted.reduce((sum, t) => sum + t.sinkKernelDrops, 0);
  const share = (n: number): string => `${Math.round((Math.min(n, lost) / lost) * 100)}%`;
  return `${share(backlog)} / ${share(socket)} / ${share(sink)} / ${share(Math.max(0, lost - backlog - socket - sink))}`;
}

/**
 * Busy shares of both CPUs at the max lossless rate and at the first rate that failed: a relay
 * core with headroom beside a saturated generator/sink CPU means the instrument, not the relay,
 * set the figure.
 */
function headroomTable(run: BenchRun, sizes: number[]): string[] {
  const lines = [
    '| relay | payload | relay core busy at max | generator+sink CPU busy at max | relay core busy at first failure | generator+sink CPU busy at first failure | first failure lost in: relay backlog / relay socket / sink socket / elsewhere |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const size of sizes) {
    for (const cell of run.cells.filter((c) => c.sizeBytes === size && c.searches.length > 0)) {
      const atMax = cell.searches.map((s) => s.atMax).filter((t): t is TrialResult => t !== null);
      const failed = firstFailures(cell);
      lines.push(
        `| ${cell.label} | ${size} B | ${percent(summarize(atMax.map(relayCoreShare)))} | ${percent(summarize(atMax.map((t) => t.trafficCoreBusyShare)))} | ` +
          `${percent(summarize(failed.map(relayCoreShare)))} | ${percent(summarize(failed.map((t) => t.trafficCoreBusyShare)))} | ${whereLost(failed)} |`,
      );
    }
  }
  return lines.length > 2 ? lines : [];
}

function headroomSection(run: BenchRun, sizes: number[]): string[] {
  const table = headroomTable(run, sizes);
  if (table.length === 0) return [];
  return [
    '## Which CPU ran out first',
    '',
    'Busy shares while mcrgen was sending, medians over the repeats of each cell. The relay is pinned',
    "to CPU 1; mcrgen, mcrsink and the sink's receive work share CPU 0. When the relay core still has",
    'headroom at the first failing rate while CPU 0 is near 100%, the max lossless rate above is the',
    "instrument's limit, not the relay's. RPS sends the relay CPU an IPI whenever its backlog was",
    'empty, so a relay that drains its backlog quickly costs CPU 0 more per datagram than one that keeps',
    'the relay CPU busy in softirq; mcrgen sends GSO bursts (one IPI at most per burst) to keep that',
    'small (bench/README.md). The last column says where the kernel refused the lost',
    "datagrams: the relay CPU's input backlog (`netdev_max_backlog` packets; a burst that arrives while",
    "that CPU is busy overflows it), the relay's UDP receive buffers (the relay process fell behind),",
    "the sink's, or elsewhere (not counted there).",
    '',
    ...table,
    '',
  ];
}

/** MCR's engine through Node-API against the same core in a plain C++ process: what Node costs. */
function nodeCostTable(run: BenchRun, sizes: number[]): string[] {
  const lines = [
    '| payload | core, no Node: max pps | CPU ns / datagram | engine via Node-API: max pps | CPU ns / datagram | Node-API / core CPU |',
    '|---:|---:|---:|---:|---:|---:|',
  ];
  for (const size of sizes) {
    const core = cellOf(run, 'mcr-core', size);
    const engine = cellOf(run, 'mcr-engine', size);
    if (!core || !engine) continue;
    lines.push(
      `| ${size} B | ${fmtSpread(core.maxLosslessPps)} | ${fmtSpread(core.cpuNsPerPacket)} | ${fmtSpread(engine.maxLosslessPps)} | ` +
        `${fmtSpread(engine.cpuNsPerPacket)} | ${ratio(engine.cpuNsPerPacket, core.cpuNsPerPacket)} |`,
    );
  }
  return lines.length > 2 ? lines : [];
}

function latencyTable(run: BenchRun): string[] {
  const lines = [
    '| relay | payload | p50 µs, median (min–max) | p99 µs, median (min–max) | windows |',
    '|---|---:|---:|---:|---:|',
  ];
  for (const cell of run.cells) {
    lines.push(
      `| ${cell.label} | ${cell.sizeBytes} B | ${fmtSpread(cell.latencyP50Us)} | ${fmtSpread(cell.latencyP99Us)} | ${cell.latencyTrials.length} |`,
    );
  }
  return lines;
}

function fanoutTable(run: BenchRun): string[] {
  const lines = [
    '| relay | outputs | max input pps | output datagrams / s | relay CPU ns / output datagram at max | at the fixed input rate | generator+sink CPU busy at the first failing rate |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const f of [...run.fanouts].sort((a, b) => a.outputs - b.outputs)) {
    const cpu =
      f.cpuNsPerOutputDatagram === null || !Number.isFinite(f.cpuNsPerOutputDatagram)
        ? 'n/a'
        : fmtInt(f.cpuNsPerOutputDatagram);
    const failing = f.search?.trials
      .filter((t) => !t.passed && t.offeredPps > f.maxInputPps)
      .sort((a, b) => a.offeredPps - b.offeredPps)[0];
    const traffic = failing ? `${(failing.trafficCoreBusyShare * 100).toFixed(0)}%` : 'n/a';
    const fixed = f.fixedRateCpu
      ? `${fmtSpread(f.fixedRateCpu.nsPerDatagram)} (${fmtInt(f.fixedRateCpu.pps)} pps in)`
      : 'n/a';
    lines.push(
      `| ${f.label} | ${f.outputs} | ${f.error ? `failed: ${f.error}` : fmtInt(f.maxInputPps)} | ${fmtInt(f.maxInputPps * f.outputs)} | ${cpu} | ${fixed} | ${traffic} |`,
    );
  }
  return lines;
}

function manyTable(run: BenchRun): string[] {
  const lines = [
    '| relay | relays × pps | relay CPU, % of one core | relay core busy, % | CPU ns / datagram | memory (PSS) MiB | processes | delivered | start-up s |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const m of run.manyRelays) {
    if (m.error) {
      lines.push(`| ${m.label} | ${m.relays} × ${m.ppsEach} | failed: ${m.error} | | | | | | |`);
      continue;
    }
    const memory = m.memoryBytes === null ? 'kernel' : (m.memoryBytes / 1048576).toFixed(1);
    lines.push(
      `| ${m.label} | ${m.relays} × ${m.ppsEach} | ${(m.cpuShareOfCore * 100).toFixed(1)} | ${(m.relayCoreBusyShare * 100).toFixed(1)} | ${Number.isFinite(m.cpuNsPerPacket) ? fmtInt(m.cpuNsPerPacket) : 'n/a'} | ` +
        `${memory} | ${m.processes} | ${(m.deliveredRatio * 100).toFixed(2)}% | ${m.startupS.toFixed(1)} |`,
    );
  }
  return lines;
}

/** How the CPU columns were measured: the exact meter, or /proc in runs before it. */
function exactCpuMethod(run: BenchRun): string[] {
  if (!hasExactCpu(run)) {
    return [
      '"Relay CPU" is user+sys of the relay\'s processes from `/proc/<pid>/stat` (for the kernel path: the',
      'relay CPU\'s busy time); "core busy" also counts the receive softirq work RPS steers to the relay CPU.',
      'Both are read at the max lossless rate.',
    ];
  }
  return [
    '"Exact relay CPU" is, for every relay, the run time of all its threads (`/proc/<pid>/task/*/schedstat`,',
    'ns; socat: every process) plus the NET_RX softirq time on the relay CPU (`irq:softirq_entry`/`exit`,',
    '`vec == 3`, traced on that CPU alone over the window), less the softirq time that',
    "interrupted the relay's own threads (already in their run time), divided by the datagrams the sink",
    "leg received. RPS puts the relay ingress's receive work on the relay CPU, so the eBPF program and the",
    "sockets' receive path are both in it; the sink's receive work runs on the other CPU. `/proc/stat`",
    'cannot give this figure on this kernel (tick-based accounting, no IRQ time accounting): softirq work',
    'a CPU does after waking from idle is never sampled. It is read at the max lossless rate and at one',
    'fixed rate every relay sustains, the column to compare relays by; the softirq share is the part',
    "outside the relay's own run time.",
  ];
}

function conditions(run: BenchRun): string[] {
  const c = run.conditions;
  const noise = c.noiseBusyShare;
  return [
    ...(c.multicastRouting ? [`- Kernel: Linux ${c.kernel}; ${c.multicastRouting}.`] : []),
    `- Host: ${c.cpuModel}, ${c.cpus} CPUs, Linux ${c.kernel}, Node ${c.node}; tools: ${Object.entries(c.tools)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}.`,
    `- Pinning: ${c.pinning}`,
    ...(c.exactCpu ? [`- CPU: ${c.exactCpu}`] : []),
    `- Receive steering: ${c.rps}`,
    `- Generator: ${c.generator}`,
    `- Noise: before every window the harness waited (up to ${(c.quietMaxWaitMs / 1000).toFixed(1)} s) for the busy share of all CPUs to fall to ${(c.quietThresholdShare * 100).toFixed(0)}%; ` +
      (noise
        ? `seen: median ${(noise.median * 100).toFixed(1)}%, worst ${(noise.max * 100).toFixed(1)}% over ${noise.values.length} windows.`
        : 'no windows ran.'),
    `- Run: profile \`${run.profile}\`, started ${run.startedAt}, ${run.durationS.toFixed(0)} s in all; windows of ${run.windowS} s; a rate passes with loss < ${run.lossBound * 100}%, no duplicates, and the sink leg carrying ≥ ${(100 - run.lossBound * 100).toFixed(1)}% of the expected datagrams.`,
  ];
}

function nodeCostSection(run: BenchRun, sizes: number[]): string[] {
  const table = nodeCostTable(run, sizes);
  if (table.length === 0) return [];
  return [
    '## The Node process around the engine',
    '',
    '"MCR core, no Node" is the engine\'s C++ core in a plain process (`native/bench/core_relay.cc`): the',
    'same design as a bare C loop. "MCR engine" is that core driven through Node-API. Each column is',
    "read at that relay's own max lossless rate; a ratio near 1.00× means Node costs nothing per datagram.",
    '',
    ...table,
    '',
  ];
}

export function renderMarkdown(run: BenchRun, jsonName: string, kernelReference?: KernelReference): string {
  const sizes = [...new Set(run.cells.map((c) => c.sizeBytes))].sort((a, b) => a - b);
  const out = [
    '# MCR benchmarks',
    '',
    `<!-- generated by \`npm run bench\` from bench/results/${jsonName}; edits are overwritten -->`,
    '',
    "MCR beside the kernel's own multicast forwarding (static (S,G) routes by smcroute), socat and a plain",
    'Node.js `dgram` relay, each forwarding generator namespace → relay namespace → sink namespace over',
    'veth pairs on the same host, with the relay alone on one CPU. mcrgen puts a sequence number and a',
    'send timestamp in every datagram; mcrsink counts loss and duplicates and measures one-way latency.',
    '',
    '![Max lossless rate per relay and payload size](bench-chart.svg)',
    '',
    ...unavailableSection(run),
    '## Max lossless rate and CPU per datagram',
    '',
    'Step up geometrically until a window loses ≥ 0.1%, then bisect (the 1024-byte search starts at the',
    "relay's 64-byte result); repeats restart from the previous result with smaller steps.",
    ...exactCpuMethod(run),
    '"limited by": loss = a higher rate lost ≥ 0.1%; max-rate = the search (or a repeat, which tries at most',
    'its previous result × 1.15) passed at its ceiling; generator = mcrgen could not reach the rate, twice.',
    ...(run.profile === 'full'
      ? [
          'mcrd is measured from 10 s after it is ready, once V8 has compacted its start-up heap (three',
          '6–15 ms pauses 8–10 s after start); the `--quick` smoke run does not wait.',
        ]
      : []),
    '',
    ...rateTable(run, sizes),
    '',
    ...kernelReferenceSection(kernelReference),
    ...ebpfTargetsSection(run),
    ...headroomSection(run, sizes),
    ...nodeCostSection(run, sizes),
    `## One-way latency at ${fmtInt(run.cells[0]?.latencyPps ?? 10000)} pps`,
    '',
    ...latencyTable(run),
    '',
    '## Fan-out (64 B)',
    '',
    'One ingress sent to N groups on the output leg. The kernel path is absent: it forwards a datagram',
    'once per interface and cannot rewrite the group, so it cannot fan out onto one leg. socat runs one',
    'process per output (it cannot fan out); mcrd forwards with the same engine as "MCR engine".',
    ...(run.fanouts.some((f) => f.relay === 'mcr-engine-ebpf')
      ? ['The eBPF datapath forwards up to 16 outputs per relay (more run on sockets): it has no larger fan-out here.']
      : []),
    'The sink leg receives every output datagram on the generator/sink CPU; when that CPU is near 100%',
    'busy at the first failing rate, the figure is a lower bound set by the instrument, not the relay.',
    '',
    ...fanoutTable(run),
    '',
    '## Many relays',
    '',
    'Each relay has its own ingress group and port; all forward to one group the sink leg counts.',
    '"Relay CPU" is the exact cost defined above; "core busy" is the relay CPU\'s busy share from',
    '`/proc/stat`, other tenants of the machine included and softirq after idle missed.',
    '',
    ...manyTable(run),
    '',
    ...protectionSection(run),
    '## Conditions',
    '',
    ...conditions(run),
  ];
  if (run.failures.length > 0) out.push('', '## Not measured', '', ...run.failures.map((f) => `- ${f}`));
  if (run.skipped.length > 0) out.push('', '## Dropped by the time budget', '', ...run.skipped.map((s) => `- ${s}`));
  out.push('', 'Raw figures of every window: `bench/results/' + jsonName + '`. Re-run: `npm run bench` (as root).', '');
  return out.join('\n');
}
