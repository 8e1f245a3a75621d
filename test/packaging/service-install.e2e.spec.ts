// The whole service as an operator installs it: npm tarballs of the workspace packages installed
// into an empty directory without a compiler, then `npx mcrd` answers /readyz and forwards; and
// mcrd as an unprivileged user with exactly the capabilities of packaging/mcrd.service.
import { chownSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { createRelayTopology, runGen, startSink, type Topology } from '../lib';
import { checkRelayDatapath, onEbpf } from '../lib/datapath';
import {
  freshDir,
  installTarballs,
  prebuildAndPack,
  REPO_ROOT,
  toolchainFreeBin,
  type Installed,
} from './support/install';
import {
  capabilityMask,
  InstalledMcrd,
  processCredentials,
  unitCapabilities,
  type McrdLaunch,
} from './support/installed-mcrd';

const started = Date.now();
const UNIT = path.join(REPO_ROOT, 'packaging', 'mcrd.service');
const NOBODY = { uid: 65534, gid: 65534 };
/** Requested by the engine per socket (EngineOptions.socketBufferBytes); the kernel reports double. */
const REQUESTED_RCVBUF_BYTES = 4 * 1024 * 1024;

let installed: Installed;
let topo: Topology;
let dataDir: string;
let mcrd: InstalledMcrd | undefined;

beforeAll(async () => {
  const work = freshDir('pkg-service');
  const tarballs = await prebuildAndPack(path.join(work, 'tarballs'));
  expect(Object.keys(tarballs).sort()).toEqual(['contract', 'engine', 'mcrctl', 'mcrd', 'model', 'store']);
  const dir = path.join(work, 'install');
  mkdirSync(dir, { mode: 0o755 });
  installed = await installTarballs(dir, toolchainFreeBin(work), Object.values(tarballs));
  console.log(`service tarballs install: ${installed.seconds.toFixed(1)} s`);
  topo = await createRelayTopology('pkgsvc');
  dataDir = freshDir('pkg-service-data');
  chownSync(dataDir, NOBODY.uid, NOBODY.gid);
}, 900_000);

afterEach(async () => {
  await mcrd?.stop();
  mcrd = undefined;
});

afterAll(async () => {
  await topo?.destroy();
  if (installed) rmSync(path.dirname(installed.dir), { recursive: true, force: true });
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  console.log(`packaging service e2e: ${((Date.now() - started) / 1000).toFixed(1)} s`);
});

/** A value of packaging/sysctl.d/90-mcr.conf. */
function sysctlFileValue(key: string): number {
  const conf = readFileSync(path.join(REPO_ROOT, 'packaging', 'sysctl.d', '90-mcr.conf'), 'utf8');
  const match = new RegExp(`^${key.replace(/\./g, '\\.')}\\s*=\\s*(\\d+)$`, 'm').exec(conf);
  if (!match) throw new Error(`packaging/sysctl.d/90-mcr.conf does not set ${key}`);
  return Number(match[1]);
}

function launch(overrides: Partial<McrdLaunch>): McrdLaunch {
  return {
    ns: topo.relay,
    installDir: installed.dir,
    bin: installed.bin,
    address: topo.relayMgmtAddress,
    port: 18090,
    storeFile: path.join(dataDir, `relays-${Date.now()}.json`),
    via: 'bin',
    ...overrides,
  };
}

function relay(name: string, inputPort: number, outputPort: number) {
  return {
    name,
    input: { interface: 'in0', group: '239.1.1.1', port: inputPort },
    outputs: [{ interface: 'out0', group: '239.2.2.2', port: outputPort }],
  };
}

/** Creates a relay through the API and checks 20,000 datagrams cross it, none lost or doubled. */
async function expectForwards(
  server: InstalledMcrd,
  name: string,
  inputPort: number,
  outputPort: number,
): Promise<string> {
  const created = await server.json('POST', '/api/v1/relays', relay(name, inputPort, outputPort));
  expect({ status: created.status, body: created.body }).toMatchObject({ status: 201 });
  const sink = await startSink(topo.sink, [
    '--group',
    '239.2.2.2',
    '--port',
    String(outputPort),
    '--interface',
    'sink0',
    '--expect',
    '20000',
    '--idle-timeout',
    '1500',
  ]);
  await runGen(topo.gen, [
    '--group',
    '239.1.1.1',
    '--port',
    String(inputPort),
    '--interface',
    'gen0',
    '--rate',
    '20000',
    '--count',
    '20000',
  ]);
  expect(await sink.result()).toMatchObject({ received: 20_000, lost: 0, duplicates: 0 });
  return created.body.id as string;
}

it('installs every package from its tarball without a compiler, mcrd and mcrctl on the bin path', () => {
  expect(installed.output).toContain(`@mcr/engine: using the prebuilt binaries for linux-${process.arch}`);
  for (const bin of ['mcrd', 'mcrctl'])
    expect(existsSync(path.join(installed.dir, 'node_modules', '.bin', bin))).toBe(true);
  expect(existsSync(path.join(installed.dir, 'node_modules', '@mcr', 'engine', 'native', 'build'))).toBe(false);
});

it('`npx mcrd` from the fresh install answers /readyz, creates a relay and forwards through it', async () => {
  mcrd = InstalledMcrd.start(launch({ via: 'npx' }));
  await mcrd.waitReady();
  const id = await expectForwards(mcrd, 'npx-installed', 5000, 6000);
  const stats = (await mcrd.json('GET', `/api/v1/relays/${id}/stats`)).body;
  expect(stats).toMatchObject({ state: 'forwarding', packetsIn: 20_000 });
  checkRelayDatapath(stats, 'npx mcrd');
  // The installed prebuilt engine carries the program: in the eBPF pass this mcrd forwards in the kernel.
  expect(stats.datapath).toBe(onEbpf() ? 'ebpf' : 'socket');
});

describe('mcrd as an unprivileged user with exactly the unit file capability set', () => {
  const caps = unitCapabilities(UNIT);

  it('the unit grants one set: the bounding set equals the ambient set', () => {
    expect(caps.bounding).toEqual(caps.ambient);
    expect(caps.ambient).toEqual(['CAP_NET_BIND_SERVICE']);
  });

  it('runs as nobody holding only those capabilities, forwards, and binds an ingress port below 1024', async () => {
    mcrd = InstalledMcrd.start(launch({ unprivileged: { ...NOBODY, capabilities: caps.ambient } }));
    await mcrd.waitReady();
    const credentials = processCredentials(mcrd.pid);
    const mask = capabilityMask(caps.ambient);
    expect(credentials).toEqual({ uid: NOBODY.uid, effective: mask, permitted: mask, ambient: mask, bounding: mask });

    const id = await expectForwards(mcrd, 'unprivileged', 5100, 6100);
    // Without CAP_NET_ADMIN, SO_RCVBUFFORCE fails and the engine falls back to SO_RCVBUF, which
    // the kernel caps at net.core.rmem_max: with a limit at least the request (90-mcr.conf sets
    // more), the relay gets all it asked for (the kernel reports twice the request).
    expect(sysctlFileValue('net.core.rmem_max')).toBeGreaterThanOrEqual(REQUESTED_RCVBUF_BYTES);
    const rmemMax = Number((await topo.relay.run('cat', ['/proc/sys/net/core/rmem_max'])).stdout);
    expect(rmemMax).toBeGreaterThanOrEqual(REQUESTED_RCVBUF_BYTES);
    const stats = (await mcrd.json('GET', `/api/v1/relays/${id}/stats`)).body;
    expect(stats.rcvbufBytes).toBe(2 * REQUESTED_RCVBUF_BYTES);
    await expectForwards(mcrd, 'ptp-event', 319, 6319);
  });

  it('without CAP_NET_BIND_SERVICE the port-319 relay cannot start: the capability is needed', async () => {
    mcrd = InstalledMcrd.start(launch({ port: 18091, unprivileged: { ...NOBODY, capabilities: [] } }));
    await mcrd.waitReady();
    expect(processCredentials(mcrd.pid)).toMatchObject({ uid: NOBODY.uid, effective: 0n, bounding: 0n });
    await expectForwards(mcrd, 'high-port', 5200, 6200);
    const lowPort = await mcrd.json('POST', '/api/v1/relays', relay('ptp-denied', 319, 6320));
    const refused =
      lowPort.status >= 400 ? lowPort.body : (await mcrd.json('GET', `/api/v1/relays/${lowPort.body.id}/stats`)).body;
    // mcrd keeps the relay (state failed, with the engine's reason) or refuses it outright.
    expect(JSON.stringify(refused)).toMatch(/cannot bind the ingress to 239\.1\.1\.1:319.*Permission denied/);
  });
});
