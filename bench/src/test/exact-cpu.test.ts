// Unit tests of the exact relay CPU: schedstat parsing, the pairing and summing of traced NET_RX
// softirq runs, and the sum that does not count softirq inside the relay's run time twice.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exactCostNs, parseSchedstatNs, sumSoftirqTrace } from '../exact-cpu';

// A tracefs instance's `trace` with options/raw: PID CPU TS_NS type: ID (here 223 = entry,
// 222 = exit); the events are filtered on vec == 3, so every line is a NET_RX run's edge.
const IDS = { entry: 223, exit: 222 };
const TRACE = [
  '# tracer: nop',
  '4242 1 21615000001000 type: 222', // cut by the window start
  '0 1 21615000010000 type: 223',
  '0 1 21615000012500 type: 222',
  '4242 1 21615000020000 type: 223',
  '4242 1 21615000021000 type: 222',
  '24 1 21615000030000 type: 17', // another event: ignored
  '18 1 21615999999000 type: 223',
  '18 1 21616000001000 type: 222',
  '4243 1 21616000100000 type: 223', // cut by the window end
].join('\n');

test('schedstat gives the run time in ns and a malformed line names what it got', () => {
  assert.equal(parseSchedstatNs('123456789 2000 17\n'), 123456789);
  assert.throws(() => parseSchedstatNs('garbage'), /schedstat: expected a run time in ns, got 'garbage'/);
});

test('NET_RX runs are paired entry to exit, other events and cut runs are left out', () => {
  const time = sumSoftirqTrace(TRACE, new Set([4242, 4243]), IDS);
  // 2500 (idle) + 1000 (relay thread) + 2000 (across the second boundary, ksoftirqd)
  assert.equal(time.totalNs, 5500);
  assert.equal(time.runs, 3);
  assert.equal(time.duringTasksNs, 1000, 'only the run that interrupted a relay thread');
});

test('a run that interrupted the relay is counted once: it is already in the run time', () => {
  const cost = exactCostNs({ processRunNs: 10000, netRxSoftirqNs: 5500, netRxInProcessNs: 1000, netRxRuns: 3 });
  assert.equal(cost, 14500);
  assert.equal(exactCostNs({ processRunNs: 0, netRxSoftirqNs: 5500, netRxInProcessNs: 0, netRxRuns: 3 }), 5500);
});

test('an empty trace costs nothing', () => {
  assert.deepEqual(sumSoftirqTrace('', new Set([1]), IDS), { totalNs: 0, duringTasksNs: 0, runs: 0 });
});
