// Command line of the benchmark: `node bench/dist/run.js [--quick] [--out DIR] [--relays a,b]`.
import type { RelayKind } from './relays/relay';

export interface Options {
  quick: boolean;
  /** Where the JSON, the Markdown and the SVG go; undefined = the repository's defaults. */
  outDir?: string;
  relays?: RelayKind[];
  /** Scenarios to run; undefined = all. */
  scenarios?: Scenario[];
}

/** rates: max lossless rate, CPU and latency per relay; the others as in the report's sections. */
export const SCENARIOS = ['rates', 'many', 'fanout', 'protection'] as const;
export type Scenario = (typeof SCENARIOS)[number];

export const runsScenario = (options: Options, scenario: Scenario): boolean =>
  !options.scenarios || options.scenarios.includes(scenario);

const KINDS: RelayKind[] = ['kernel', 'socat', 'node-dgram', 'mcr-core', 'mcr-engine', 'mcr-engine-ebpf', 'mcrd'];

export const USAGE = `usage: node bench/dist/run.js [--quick] [--out DIR] [--relays ${KINDS.join(',')}]
       [--scenarios ${SCENARIOS.join(',')}]
  --quick    smoke run (< 90 s); writes to a temporary directory unless --out is given
  --out DIR  write <date>.json, benchmarks.md and bench-chart.svg to DIR
             (default: bench/results/<date>.json, docs/benchmarks.md, docs/bench-chart.svg)
  --relays   measure only these relays (default: all)
  --scenarios  run only these scenarios (default: all; protection is MCR's engine only)`;

export function parseOptions(argv: string[]): Options {
  const options: Options = { quick: false };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--quick') options.quick = true;
    else if (arg === '--out') {
      const value = argv[++i];
      if (!value) throw new Error(`--out needs a directory\n${USAGE}`);
      options.outDir = value;
    } else if (arg === '--relays') {
      const list = (argv[++i] ?? '').split(',').filter(Boolean);
      const bad = list.find((k) => !KINDS.includes(k as RelayKind));
      if (list.length === 0 || bad !== undefined)
        throw new Error(`--relays: expected a list of ${KINDS.join(', ')}, got '${argv[i] ?? ''}'`);
      options.relays = list as RelayKind[];
    } else if (arg === '--scenarios') {
      const list = (argv[++i] ?? '').split(',').filter(Boolean);
      const bad = list.find((s) => !SCENARIOS.includes(s as Scenario));
      if (list.length === 0 || bad !== undefined)
        throw new Error(`--scenarios: expected a list of ${SCENARIOS.join(', ')}, got '${argv[i] ?? ''}'`);
      options.scenarios = list as Scenario[];
    } else if (arg === '--help' || arg === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else throw new Error(`unknown argument '${arg}'\n${USAGE}`);
  }
  return options;
}
