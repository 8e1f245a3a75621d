// Starts the mcrd that an install put in node_modules/.bin inside a test namespace, optionally as an
// unprivileged user with a given capability set (setpriv, as systemd's User= + AmbientCapabilities=).
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { run, sleep, type NetNs } from '../../lib';
import { e2eDatapathEnv } from '../../lib/datapath';

/** A parsed JSON reply: tests read it field by field, whichever route answered. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- one type per route would only restate the assertions
type JsonBody = any;

export interface McrdLaunch {
  ns: NetNs;
  installDir: string;
  bin: string;
  /** Reachable address of `ns` (topology.relayMgmtAddress). */
  address: string;
  port: number;
  storeFile: string;
  /** `npx mcrd` (as an operator types it) or the unit's ExecStart, node_modules/.bin/mcrd. */
  via: 'npx' | 'bin';
  /** Run as this uid/gid with exactly these capabilities (names like CAP_NET_BIND_SERVICE). */
  unprivileged?: { uid: number; gid: number; capabilities: string[] };
}

export class InstalledMcrd {
  output = '';
  private readonly exited: Promise<number | null>;

  private constructor(
    readonly child: ChildProcess,
    readonly baseUrl: string,
    private readonly ns: NetNs,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  }

  static start(launch: McrdLaunch): InstalledMcrd {
    const mcrd = path.join(launch.installDir, 'node_modules', '.bin', 'mcrd');
    const command = launch.via === 'npx' ? [path.join(launch.bin, 'npx'), '--offline', 'mcrd'] : [mcrd];
    const argv = launch.unprivileged ? [...setprivArgs(launch.unprivileged), ...command] : command;
    const child = launch.ns.exec(argv[0], argv.slice(1), {
      cwd: launch.installDir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: launch.bin,
        HOME: process.env.HOME ?? '/root',
        MCR_HTTP_HOST: launch.address,
        MCR_HTTP_PORT: String(launch.port),
        MCR_STORE: `file:${launch.storeFile}`,
        MCR_NODE_ID: 'packaging',
        MCR_LOG_LEVEL: 'warn',
        // An unprivileged mcrd holds the unit file's capabilities only, which do not allow loading
        // a program (docs/ebpf-datapath.md: a drop-in grants them): it stays on the default datapath.
        ...(launch.unprivileged ? {} : e2eDatapathEnv()),
      },
    });
    return new InstalledMcrd(child, `http://${launch.address}:${launch.port}`, launch.ns);
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error('mcrd did not start');
    return this.child.pid;
  }

  async json(method: string, route: string, body?: unknown): Promise<{ status: number; body: JsonBody }> {
    const res = await fetch(`${this.baseUrl}${route}`, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    return { status: res.status, body: text === '' ? undefined : JSON.parse(text) };
  }

  /** Polls /readyz until 200; fails with mcrd's output when it exits or takes too long. */
  async waitReady(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null)
        throw new Error(`mcrd exited ${this.child.exitCode} before ready:\n${this.output}`);
      try {
        const res = await fetch(`${this.baseUrl}/readyz`, { signal: AbortSignal.timeout(1000) });
        if (res.status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`mcrd not ready within ${timeoutMs} ms:\n${this.output}`);
  }

  /**
   * SIGTERM to mcrd and whatever else runs in its namespace (npx runs mcrd as a grandchild and
   * does not wait for it), then waits until all of them are gone.
   */
  async stop(): Promise<number | null> {
    if (this.child.exitCode === null) this.child.kill('SIGTERM');
    const code = await this.exited;
    const deadline = Date.now() + 15_000;
    for (;;) {
      const pids = (await run('ip', ['netns', 'pids', this.ns.name])).stdout.split(/\s+/).filter(Boolean).map(Number);
      if (pids.length === 0) return code;
      for (const pid of pids) signal(pid, Date.now() > deadline ? 'SIGKILL' : 'SIGTERM');
      await sleep(200);
    }
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

function setprivPath(): string {
  const found = (process.env.PATH ?? '/usr/bin:/bin')
    .split(':')
    .map((dir) => path.join(dir, 'setpriv'))
    .find((file) => existsSync(file));
  if (!found) throw new Error('setpriv not found: apt-get install util-linux');
  return found;
}

/** setpriv arguments giving exactly `capabilities` (bounding, inheritable, ambient) to a non-root user. */
function setprivArgs({ uid, gid, capabilities }: { uid: number; gid: number; capabilities: string[] }): string[] {
  const set = ['-all', ...capabilities.map((cap) => `+${cap.toLowerCase().replace(/^cap_/, '')}`)].join(',');
  return [
    setprivPath(),
    `--reuid=${uid}`,
    `--regid=${gid}`,
    '--clear-groups',
    `--inh-caps=${set}`,
    `--ambient-caps=${set}`,
    `--bounding-set=${set}`,
    '--no-new-privs',
    '--',
  ];
}

/** The capability lines of a systemd unit: AmbientCapabilities= and CapabilityBoundingSet=. */
export function unitCapabilities(unitFile: string): { ambient: string[]; bounding: string[] } {
  const unit = readFileSync(unitFile, 'utf8');
  const values = (key: string): string[] => {
    const lines = unit.split('\n').filter((line) => line.startsWith(`${key}=`));
    if (lines.length !== 1) throw new Error(`${unitFile}: expected one ${key}= line, found ${lines.length}`);
    return lines[0]
      .slice(key.length + 1)
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .sort();
  };
  return { ambient: values('AmbientCapabilities'), bounding: values('CapabilityBoundingSet') };
}

/** Capability bit numbers (linux/capability.h) of the names the unit may use. */
const CAPABILITY_BITS: Record<string, number> = {
  CAP_NET_BIND_SERVICE: 10,
  CAP_NET_BROADCAST: 11,
  CAP_NET_ADMIN: 12,
  CAP_NET_RAW: 13,
  CAP_SYS_NICE: 23,
};

/** The /proc/<pid>/status mask (hex, as the kernel prints it) of a capability list. */
export function capabilityMask(capabilities: string[]): bigint {
  return capabilities.reduce((mask, cap) => {
    const bit = CAPABILITY_BITS[cap];
    if (bit === undefined) throw new Error(`unknown capability ${cap}: add its bit number`);
    return mask | (1n << BigInt(bit));
  }, 0n);
}

/** Uid and capability sets of a running process, from /proc. */
export function processCredentials(pid: number): {
  uid: number;
  effective: bigint;
  permitted: bigint;
  ambient: bigint;
  bounding: bigint;
} {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string): string => {
    const match = new RegExp(`^${name}:\\s+(.*)$`, 'm').exec(status);
    if (!match) throw new Error(`/proc/${pid}/status has no ${name}`);
    return match[1];
  };
  return {
    uid: Number(field('Uid').split(/\s+/)[1]),
    effective: BigInt(`0x${field('CapEff')}`),
    permitted: BigInt(`0x${field('CapPrm')}`),
    ambient: BigInt(`0x${field('CapAmb')}`),
    bounding: BigInt(`0x${field('CapBnd')}`),
  };
}
