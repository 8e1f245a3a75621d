// The binding's lifecycle leaks nothing: Engines with a relay and loopback traffic created and
// closed many times, under valgrind (definite leaks in our frames fail it) and bare (RSS growth).
import path from 'node:path';
import { run } from '../lib';

const SCRIPT = path.resolve(__dirname, '..', 'dist', 'lib', 'engine-lifecycle.js');
const SUPPRESSIONS = path.resolve(__dirname, '..', '..', 'native', 'test', 'valgrind', 'node.supp');
const DATAGRAMS_PER_CYCLE = 4; // as in test/lib/engine-lifecycle.ts

const VALGRIND_CYCLES = 40; // node under valgrind: ~25 s on a 2-core machine
const RSS_CYCLES = 6_000;
const RSS_WARMUP_CYCLES = 2_000; // V8's heap and the allocator's arenas settle by then
const RSS_REPORT_EVERY = 500;
const RSS_GROWTH_BOUND_BYTES = 8 * 1024 * 1024; // a leaked worker (buffer pool) per cycle is 4,000 x 16 KiB

interface LifecycleReport {
  cycles: number;
  forwarded: number;
  rssBytes: number[];
}

function parseReport(stdout: string): LifecycleReport {
  const line = stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as LifecycleReport;
}

/** valgrind's "definitely lost" loss records whose stack passes through our code. */
function ourDefiniteLeaks(valgrindLog: string): string[] {
  const records = valgrindLog.split(/\n==\d+== \n/);
  return records.filter(
    (record) => /definitely lost in loss record/.test(record) && /mcr_engine\.node|mcr::/.test(record),
  );
}

const started = Date.now();
afterAll(() => console.log(`engine lifecycle e2e: ${((Date.now() - started) / 1000).toFixed(1)} s`));

test(`${VALGRIND_CYCLES} engines with a relay and traffic under valgrind: no definite leak, no error`, async () => {
  const outcome = await run(
    'valgrind',
    [
      '--leak-check=full',
      '--errors-for-leak-kinds=definite',
      '--error-exitcode=99',
      `--suppressions=${SUPPRESSIONS}`,
      process.execPath,
      SCRIPT,
      String(VALGRIND_CYCLES),
    ],
    { allowFailure: true },
  );
  const log = outcome.stderr;
  expect(ourDefiniteLeaks(log)).toEqual([]);
  expect(log).toMatch(/definitely lost: 0 bytes in 0 blocks|All heap blocks were freed/);
  expect(log).toMatch(/ERROR SUMMARY: 0 errors/);
  expect(outcome.code).toBe(0);
  const report = parseReport(outcome.stdout);
  expect(report.forwarded).toBe(VALGRIND_CYCLES * DATAGRAMS_PER_CYCLE); // traffic really flowed
}, 170_000);

test(`${RSS_CYCLES} engines with a relay and traffic: RSS stops growing after warm-up`, async () => {
  const outcome = await run(process.execPath, ['--expose-gc', SCRIPT, String(RSS_CYCLES), String(RSS_REPORT_EVERY)]);
  const report = parseReport(outcome.stdout);
  expect(report.forwarded).toBe(RSS_CYCLES * DATAGRAMS_PER_CYCLE);
  const rss = report.rssBytes;
  const afterWarmup = rss[RSS_WARMUP_CYCLES / RSS_REPORT_EVERY - 1];
  const growth = rss[rss.length - 1] - afterWarmup;
  console.log(
    `RSS over ${RSS_CYCLES} engine cycles (MiB every ${RSS_REPORT_EVERY}): ` +
      `${rss.map((bytes) => (bytes / 1048576).toFixed(1)).join(' ')}; growth after warm-up ${(growth / 1048576).toFixed(2)} MiB`,
  );
  expect(growth).toBeLessThan(RSS_GROWTH_BOUND_BYTES);
}, 120_000);
