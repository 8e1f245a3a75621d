// @mcr/engine as an operator gets it: `npm run prebuilds`, `npm pack`, install the tarball into an
// empty directory on a PATH without any compiler, then forward packets through the installed engine
// and measure them with the installed mcrgen/mcrsink in network namespaces; last, the from-source
// fallback, without a compiler (a clear error) and with one (a working build from the tarball).
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRelayTopology, run, runGen, startSink, type Topology } from '../lib';
import {
  freshDir,
  installTarballs,
  npm,
  prebuildAndPack,
  REPO_ROOT,
  toolchainFreeBin,
  type Installed,
} from './support/install';
import { checkRelayDatapath, onEbpf } from '../lib/datapath';
import { InstalledEngineHost } from './support/installed-tools';

const started = Date.now();
const PREBUILT = ['linux-x64', 'linux-arm64'];
const BINARIES = ['mcr_engine.node', 'mcrgen', 'mcrsink'];
const MACHINE: Record<string, string> = { 'linux-x64': 'Advanced Micro Devices X86-64', 'linux-arm64': 'AArch64' };

let work: string;
let tarball: string;
let extracted: string;
let installed: Installed;

beforeAll(async () => {
  work = freshDir('pkg-engine');
  tarball = (await prebuildAndPack(path.join(work, 'tarballs'))).engine;
  extracted = path.join(work, 'extracted');
  await run('mkdir', ['-p', extracted]);
  await run('tar', ['-xzf', tarball, '-C', extracted]);
}, 900_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
  console.log(`packaging engine e2e: ${((Date.now() - started) / 1000).toFixed(1)} s`);
});

/** The glibc floor the engine README promises ("glibc floor: 2.36"). */
function statedGlibcFloor(): number[] {
  const readme = readFileSync(path.join(REPO_ROOT, 'packaging', 'engine-README.md'), 'utf8');
  const floor = /glibc floor: (\d+)\.(\d+)/.exec(readme);
  if (!floor) throw new Error('packaging/engine-README.md states no "glibc floor: X.Y"');
  return [Number(floor[1]), Number(floor[2])];
}

describe('the @mcr/engine tarball', () => {
  it('ships binaries, C++ sources, CMake files, typings and JavaScript, and no build trees (npm pack --dry-run)', async () => {
    const dry = await run('npm', ['pack', '-w', '@mcr/engine', '--dry-run', '--json'], { cwd: REPO_ROOT });
    const files = (JSON.parse(dry.stdout) as { files: { path: string }[] }[])[0].files.map((f) => f.path).sort();
    const allowed = [
      /^package\.json$/,
      /^README\.md$/,
      /^bin\/mcr(gen|sink)\.js$/,
      /^dist\/((model|bin|contract)\/)?[a-z-]+\.(js|d\.ts)$/,
      // The contract the native build generates its header from (the from-source fallback needs it).
      /^libs\/contract\/(src|scripts)\/[a-z-]+\.js$/,
      /^prebuilds\/linux-(x64|arm64)\/(mcr_engine\.node|mcrgen|mcrsink|SHA256SUMS)$/,
      /^native\/(CMakeLists\.txt|package\.json)$/,
      /^native\/(src\/(core(\/(membership|redundancy|analysis))?|net|binding|compat|ebpf)|tools(\/common)?)\/[a-z_]+\.(cc|h)$/,
      // The eBPF datapath's program, compiled by a source build where clang is present.
      /^native\/src\/ebpf\/[a-z_]+\.bpf\.c$/,
      /^cmake\/[A-Z][A-Za-z]+\.cmake$/,
      /^scripts\/install\.js$/,
    ];
    expect(files.filter((file) => !allowed.some((pattern) => pattern.test(file)))).toEqual([]);
    for (const tag of PREBUILT) for (const binary of BINARIES) expect(files).toContain(`prebuilds/${tag}/${binary}`);
    for (const needed of [
      'dist/index.js',
      'dist/index.d.ts',
      'dist/loader.js',
      'dist/model/relay.d.ts',
      'native/CMakeLists.txt',
      'native/src/binding/addon.cc',
      'native/src/net/address.cc',
      'native/src/core/membership/querier.cc',
      'native/src/core/redundancy/merge_window.cc',
      'native/src/core/analysis/stream_analyzer.cc',
      'libs/contract/src/contract.js',
      'libs/contract/scripts/generate-cpp-header.js',
      'dist/contract/index.js',
      'native/src/compat/glibc_floor.cc',
      'native/src/ebpf/relay_datapath.bpf.c',
      'native/src/ebpf/kernel_datapath_absent.cc',
      'cmake/EmbedBinary.cmake',
      'native/tools/mcrsink.cc',
      'dist/bin/mcrgen.js',
      'cmake/Warnings.cmake',
      'cmake/Portable.cmake',
      'scripts/install.js',
    ]) {
      expect(files).toContain(needed);
    }
    // The staged sources are removed again after packing: the checkout stays as it was.
    expect(existsSync(path.join(REPO_ROOT, 'libs', 'engine', 'native'))).toBe(false);
  });

  it('carries linux-arm64 binaries that readelf calls AArch64, and linux-x64 ones that it calls X86-64', async () => {
    for (const tag of PREBUILT) {
      for (const binary of BINARIES) {
        const header = await run('readelf', ['-h', path.join(extracted, 'package', 'prebuilds', tag, binary)]);
        expect({ binary: `${tag}/${binary}`, machine: /Machine:\s+(.*)/.exec(header.stdout)?.[1].trim() }).toEqual({
          binary: `${tag}/${binary}`,
          machine: MACHINE[tag],
        });
      }
    }
  });

  it('links only glibc and libgcc_s dynamically, no newer than the stated floor, and matches its SHA256SUMS', async () => {
    const floor = statedGlibcFloor();
    for (const tag of PREBUILT) {
      const dir = path.join(extracted, 'package', 'prebuilds', tag);
      await run('sha256sum', ['--check', '--quiet', 'SHA256SUMS'], { cwd: dir });
      for (const binary of BINARIES) {
        const dynamic = await run('readelf', ['-d', '--dyn-syms', '-W', path.join(dir, binary)]);
        const needed = [...dynamic.stdout.matchAll(/\(NEEDED\)\s+Shared library: \[(.*)\]/g)].map((m) => m[1]);
        expect(needed.filter((lib) => !/^(libc|libm|libgcc_s|ld-linux-[a-z0-9_-]+)\.so\.\d+$/.test(lib))).toEqual([]);
        const versions = [...dynamic.stdout.matchAll(/@GLIBC_(\d+)\.(\d+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
        const newest = versions.reduce((a, b) => (b[0] * 1000 + b[1] > a[0] * 1000 + a[1] ? b : a), [0, 0]);
        const withinFloor = newest[0] * 1000 + newest[1] <= floor[0] * 1000 + floor[1];
        expect({ binary: `${tag}/${binary}`, newestGlibc: newest.join('.'), withinFloor }).toMatchObject({
          binary: `${tag}/${binary}`,
          withinFloor: true,
        });
        expect(newest[0]).toBe(2);
      }
    }
  });
});

describe('installed from the tarball on a host without a compiler', () => {
  let topo: Topology;

  beforeAll(async () => {
    const dir = freshDir('pkg-engine-install');
    installed = await installTarballs(dir, toolchainFreeBin(dir), [tarball]);
    console.log(`engine tarball install: ${installed.seconds.toFixed(1)} s`);
    topo = await createRelayTopology('pkgeng');
  }, 300_000);

  afterAll(async () => {
    await topo?.destroy();
    if (installed) rmSync(installed.dir, { recursive: true, force: true });
  });

  it('says it uses the prebuilt binaries and builds nothing', () => {
    expect(installed.output).toContain(`@mcr/engine: using the prebuilt binaries for linux-${process.arch}`);
    expect(existsSync(path.join(installed.dir, 'node_modules', '@mcr', 'engine', 'native', 'build'))).toBe(false);
    expect(existsSync(path.join(installed.dir, 'node_modules', '@mcr', 'model'))).toBe(false);
  });

  it('forwards 20,000 datagrams through the installed engine, measured by the installed mcrgen and mcrsink', async () => {
    const relay = {
      name: 'installed',
      input: { interface: 'in0', group: '239.1.1.1', port: 5000 },
      outputs: [{ interface: 'out0', group: '239.2.2.2', port: 6000 }],
    };
    const { host, ready } = await InstalledEngineHost.start(topo.relay, installed.dir, installed.bin, relay);
    const prebuilds = path.join(installed.dir, 'node_modules', '@mcr', 'engine', 'prebuilds', `linux-${process.arch}`);
    expect(ready.addon).toEqual({ file: path.join(prebuilds, 'mcr_engine.node'), origin: 'prebuilt' });
    expect(ready.tools).toEqual({ mcrgen: path.join(prebuilds, 'mcrgen'), mcrsink: path.join(prebuilds, 'mcrsink') });

    const installedSink = await startSink(
      topo.sink,
      ['--group', '239.2.2.2', '--port', '6000', '--interface', 'sink0', '--expect', '20000', '--idle-timeout', '1500'],
      { binary: ready.tools.mcrsink },
    );
    const sent = await runGen(
      topo.gen,
      ['--group', '239.1.1.1', '--port', '5000', '--interface', 'gen0', '--rate', '20000', '--count', '20000'],
      { binary: ready.tools.mcrgen },
    );
    const sink = await installedSink.result();
    const counters = await host.stop();
    expect(sent.sent).toBe(20_000);
    expect(sink).toMatchObject({ received: 20_000, lost: 0, duplicates: 0 });
    expect(counters).toMatchObject({ packetsIn: 20_000, forwarded: 20_000 });
    checkRelayDatapath({ name: relay.name, ...counters }, 'the installed engine');
    // The prebuilt binary carries the program: in the eBPF pass the installed engine forwards in the kernel.
    expect(counters.datapath).toBe(onEbpf() ? 'ebpf' : 'socket');
  });

  it('type-checks a consumer against the installed typings, without @mcr/model', async () => {
    const consumer = path.join(installed.dir, 'consumer.ts');
    writeFileSync(
      consumer,
      [
        "import { Engine, type EngineRelaySpec } from '@mcr/engine';",
        "const good: EngineRelaySpec = { name: 'a', input: { interface: 'in0', group: '239.1.1.1', port: 5000 }, outputs: [] };",
        "const bad: EngineRelaySpec = { name: 'b', input: { interface: 'in0', group: '239.1.1.1', port: '5000' }, outputs: [] };",
        'export const use = [Engine, good, bad];',
      ].join('\n'),
    );
    const tsc = path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = await run(
      process.execPath,
      [
        tsc,
        '--noEmit',
        '--strict',
        '--skipLibCheck',
        'false',
        '--moduleResolution',
        'node',
        '--types',
        'node',
        '--typeRoots',
        path.join(REPO_ROOT, 'node_modules', '@types'),
        consumer,
      ],
      { cwd: installed.dir, allowFailure: true },
    );
    // Exactly one error, on the string port: the types are real (not `any`) and resolve in full.
    const errors = result.stdout.split('\n').filter((line) => line.includes('error TS'));
    expect(errors).toEqual([
      expect.stringMatching(/consumer\.ts\(3,\d+\): error TS2322: Type 'string' is not assignable to type 'number'/),
    ]);
  });

  it('with npm_config_build_from_source=true and no compiler, fails naming the platform and what to install', async () => {
    const result = await npm(
      installed.dir,
      installed.bin,
      ['rebuild', '@mcr/engine', '--foreground-scripts'],
      { npm_config_build_from_source: 'true' },
      true,
    );
    const output = result.stdout + result.stderr;
    expect(result.code).not.toBe(0);
    expect(output).toContain('building from source with cmake-js');
    expect(output).toContain(`cannot build the native engine from source on linux-${process.arch}`);
    expect(output).toMatch(/missing a C\+\+20 compiler .*cmake/);
    expect(output).toContain('apt-get install g++ cmake make');
  });

  // The path a musl or old-glibc host takes: proves the tarball's C++ sources and CMake files build.
  it('with npm_config_build_from_source=true and a compiler, builds from the shipped sources and loads that build', async () => {
    const withCompiler = `${installed.bin}:${process.env.PATH ?? '/usr/bin:/bin'}`;
    const result = await npm(installed.dir, installed.bin, ['rebuild', '@mcr/engine', '--foreground-scripts'], {
      npm_config_build_from_source: 'true',
      PATH: withCompiler,
    });
    expect(result.stdout).toContain(
      `npm_config_build_from_source is set: building from source with cmake-js on linux-${process.arch}`,
    );
    expect(result.stdout).toContain('@mcr/engine: built from source: native/build/Release/mcr_engine.node');
    const probe =
      "const l = require('@mcr/engine/dist/loader'); console.log(JSON.stringify({ ...l.addonLocation(), mcrsink: l.toolPath('mcrsink') }))";
    const location = JSON.parse(
      (await run(path.join(installed.bin, 'node'), ['-e', probe], { cwd: installed.dir, env: { PATH: installed.bin } }))
        .stdout,
    );
    const build = path.join(installed.dir, 'node_modules', '@mcr', 'engine', 'native', 'build', 'Release');
    expect(location).toEqual({
      file: path.join(build, 'mcr_engine.node'),
      origin: 'source build',
      mcrsink: path.join(build, 'mcrsink'),
    });
  }, 600_000);
});
