// Unit tests of the host detection: which references a kernel without multicast routing, or a host
// without socat, can run, and the reason the log and the report give.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectMulticastRouting, IPV4_MROUTE_CACHE, partitionRunnable, type HostProbe } from '../availability';
import { ALL_RELAYS } from '../relays';

function host(options: {
  files?: string[];
  commands?: string[];
  config?: string | null;
  ebpfProblem?: string;
}): HostProbe {
  return {
    commandExists: (command) => (options.commands ?? ['smcrouted', 'socat']).includes(command),
    fileExists: (file) => (options.files ?? []).includes(file),
    kernelConfig: () => (options.config === undefined ? null : options.config),
    ebpfDatapathProblem: () => options.ebpfProblem ?? null,
  };
}

const NO_MROUTE = 'CONFIG_IP_MULTICAST=y\n# CONFIG_IP_MROUTE is not set\n# CONFIG_IPV6_MROUTE is not set\n';
const MROUTE = 'CONFIG_IP_MULTICAST=y\nCONFIG_IP_MROUTE=y\nCONFIG_IPV6_MROUTE=y\n';

test('a kernel built without CONFIG_IP_MROUTE has no multicast routing, and the reason says so', () => {
  const routing = detectMulticastRouting(host({ config: NO_MROUTE }));
  assert.equal(routing.available, false);
  assert.equal(
    routing.summary,
    'kernel multicast routing: not available on this kernel (CONFIG_IP_MROUTE is off; CONFIG_IPV6_MROUTE is off)',
  );
});

test('the multicast routing cache decides, whatever the configuration file says', () => {
  assert.equal(detectMulticastRouting(host({ files: [IPV4_MROUTE_CACHE], config: MROUTE })).available, true);
  assert.equal(detectMulticastRouting(host({ files: [IPV4_MROUTE_CACHE], config: null })).available, true);
  const unreadable = detectMulticastRouting(host({ config: null }));
  assert.equal(unreadable.available, false);
  assert.match(unreadable.summary, /configuration is not readable/);
});

test('without multicast routing the kernel path is left out and every MCR relay and socat still run', () => {
  const { runnable, unavailable } = partitionRunnable(ALL_RELAYS, host({ config: NO_MROUTE }));
  assert.deepEqual(
    unavailable.map((u) => u.relay.kind),
    ['kernel'],
  );
  assert.match(unavailable[0].reason, /CONFIG_IP_MROUTE is off/);
  assert.deepEqual(
    runnable.map((r) => r.kind),
    ['socat', 'node-dgram', 'mcr-core', 'mcr-engine', 'mcr-engine-ebpf', 'mcrd'],
  );
});

test("an engine built without eBPF leaves out the eBPF relay with the engine's reason, and only it", () => {
  const why = "MCR's eBPF datapath is not available here: this build of the engine has no eBPF datapath";
  const { runnable, unavailable } = partitionRunnable(
    ALL_RELAYS,
    host({ files: [IPV4_MROUTE_CACHE], config: MROUTE, ebpfProblem: why }),
  );
  assert.deepEqual(
    unavailable.map((u) => [u.relay.kind, u.reason]),
    [['mcr-engine-ebpf', why]],
  );
  assert.ok(runnable.some((r) => r.kind === 'mcr-engine'));
});

test('with multicast routing and every binary, nothing is left out', () => {
  const { runnable, unavailable } = partitionRunnable(ALL_RELAYS, host({ files: [IPV4_MROUTE_CACHE], config: MROUTE }));
  assert.equal(unavailable.length, 0);
  assert.equal(runnable.length, ALL_RELAYS.length);
});

test('a missing binary leaves out its reference and names the package to install', () => {
  const { unavailable } = partitionRunnable(ALL_RELAYS, host({ files: [IPV4_MROUTE_CACHE], commands: ['smcrouted'] }));
  assert.deepEqual(
    unavailable.map((u) => [u.relay.kind, u.reason]),
    [['socat', 'socat is not installed (apt-get install socat)']],
  );
  const noSmcroute = partitionRunnable(ALL_RELAYS, host({ files: [IPV4_MROUTE_CACHE], commands: ['socat'] }));
  assert.deepEqual(
    noSmcroute.unavailable.map((u) => u.reason),
    ['smcrouted is not installed (apt-get install smcroute)'],
  );
});
