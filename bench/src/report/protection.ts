// The report's section on issue #18's cost targets: MCR's engine with A/B merge and with stream
// analysis beside a plain relay at the same output rate, and the memory a merging relay adds.
import { countedWindows, type ProtectionCell, type ProtectionRatio, type ProtectionResult } from '../protection-cost';
import type { BenchRun, Summary } from '../results';

const fmtInt = (n: number): string => Math.round(n).toLocaleString('en-US');
const fmtSpread = (s: Summary | null, f: (n: number) => string): string => {
  if (!s) return 'n/a';
  return s.values.length > 1 ? `${f(s.median)} (${f(s.min)}–${f(s.max)})` : f(s.median);
};
const times = (n: number): string => `${n.toFixed(2)}×`;
const mib = (bytes: number): string => (bytes / 1048576).toFixed(1);

export function verdictText(ratio: ProtectionRatio): string {
  if (ratio.maxRatio === null) return 'no target';
  if (ratio.passed === null) return 'not measured';
  return ratio.passed ? 'pass' : 'over the target';
}

const verdictCell = (ratio: ProtectionRatio): string =>
  ratio.passed === false ? `**${verdictText(ratio)}**` : verdictText(ratio);

function cellRow(cell: ProtectionCell, ratio: ProtectionRatio | undefined): string {
  const counted = countedWindows(cell.windows).length;
  const vsPlain =
    ratio?.ratio !== null && ratio?.ratio !== undefined
      ? times(ratio.ratio)
      : cell.variant === 'plain'
        ? '1.00×'
        : 'n/a';
  const target = ratio?.maxRatio ? `≤ ${times(ratio.maxRatio)}` : '';
  const exactVsPlain =
    ratio?.exactRatio !== null && ratio?.exactRatio !== undefined
      ? times(ratio.exactRatio)
      : cell.variant === 'plain'
        ? '1.00×'
        : 'n/a';
  return (
    `| ${cell.label} | ${cell.inputsPerOutput} | ${fmtSpread(cell.cpuNsPerOutput, fmtInt)} | ${vsPlain} | ` +
    `${ratio ? fmtSpread(ratio.roundRatios, times) : ''} | ${target} | ${ratio ? verdictCell(ratio) : ''} | ` +
    `${fmtSpread(cell.exactNsPerOutput, fmtInt)} | ${exactVsPlain} | ${counted} of ${cell.windows.length} |`
  );
}

function costTable(result: ProtectionResult): string[] {
  return [
    '| relay | datagrams received per output datagram | relay CPU ns / output datagram, median (min–max) | vs plain relay | per round (min–max) | target (issue #18) | verdict | exact relay CPU ns / output datagram (NET_RX included) | exact vs plain | windows counted / run |',
    '|---|---:|---:|---:|---:|---:|---|---:|---:|---:|',
    ...result.cells.map((cell) =>
      cellRow(
        cell,
        result.ratios.find((r) => r.variant === cell.variant),
      ),
    ),
  ];
}

function memoryLines(result: ProtectionResult): string[] {
  const m = result.memory;
  if (!m) return ['Memory: not measured.'];
  return [
    `Memory: an engine with ${m.relays} idle merging relays (key rtp, analyze off) had ${mib(m.mergeRssBytes)} MiB resident,`,
    `one with ${m.relays} plain relays ${mib(m.plainRssBytes)} MiB: **${fmtInt(m.perMergeRelayBytes / 1024)} KiB per merging relay**. The merge state`,
    `allocated when the relay opens is ${fmtInt(m.modelBytes)} bytes (\`merge_window.h\`: 65,536 entries × 16 bytes;`,
    '8 RTP sequence trackers × 32 bytes; two cache lines of leg counters), the same for every `windowMs`.',
    "Beside it, in the kernel and not resident in the process: the B leg's socket and its receive buffer",
    '(up to `socketBufferBytes`, 4 MiB by default). Stream analysis adds 224 bytes per input leg, and',
    '8,200 bytes once the leg carries MPEG-TS (`stream_analyzer.h`), too little to see in resident memory.',
  ];
}

export function protectionSection(run: BenchRun): string[] {
  const result = run.protection;
  if (!result) return [];
  return [
    '## Cost of A/B merge and stream analysis (MCR engine)',
    '',
    'One MCR engine (through Node-API, as "MCR engine") carries the relays below. Each window sends one',
    `of them ${fmtInt(result.pps)} RTP datagrams/s of ${fmtInt(result.sizeBytes)} bytes (\`mcrgen --rtp\`: RTP header, MCR`,
    `header, filler) for ${result.windowS} s; for an A/B relay mcrgen sends every datagram to both legs, two`,
    'groups on the same ingress interface, so the relay receives two datagrams per output datagram',
    `(merge window ${result.mergeWindowMs} ms). The relays take turns, ${result.rounds} round${result.rounds === 1 ? '' : 's'}, each round starting at the`,
    'next relay. A window counts only if the sink (`mcrsink --rtp`) got every datagram once, no loss and',
    `no duplicate; it is tried again (up to ${result.attempts} tries, the last clean one counts) when it was not, or`,
    `when the rest of the host was more than ${Math.round(result.maxNoiseShare * 100)}% busy as it began. "Relay CPU" is the run time of the engine's threads`,
    '(`/proc/<pid>/task/*/schedstat`, nanoseconds) per datagram the sink received: what merging and',
    'analysis add to the engine. "Exact relay CPU" adds the NET_RX softirq on the relay CPU (the',
    "benchmark's exact accounting): it includes the kernel receiving the second leg, which any A/B",
    'merge pays whatever its implementation. "vs plain relay" divides the medians; "per round" gives the',
    "range of the ratios of windows run back to back. The targets are the issue's: merge within 15% of",
    'a plain relay per output datagram, analyze auto within 5%. Failover has no target: it receives',
    'both legs too, and shows what the second leg costs before any merging.',
    ...(result.rounds < 3
      ? [
          '',
          `Only ${result.rounds} round${result.rounds === 1 ? '' : 's'} (a smoke run): these ratios are the host's noise, not a verdict.`,
        ]
      : []),
    '',
    ...costTable(result),
    '',
    ...memoryLines(result),
    '',
  ];
}
