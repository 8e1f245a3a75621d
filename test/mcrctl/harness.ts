// Test harness of the mcrctl end-to-end suite: runs the real built mcrd on a free loopback port
// with a file store in a temp dir, and the real built mcrctl as a child process; optionally both
// inside a network namespace the test owns (for relays on interfaces the test may take down).
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import type { NetNs } from '../lib/netns';
import { e2eDatapathEnv } from '../lib/datapath';

export const REPO_ROOT = resolve(__dirname, '..', '..');
export const MCRD_MAIN = join(REPO_ROOT, 'apps/mcrd/dist/main.js');
export const MCRCTL_MAIN = join(REPO_ROOT, 'apps/mcrctl/dist/main.js');

const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

/** A port the kernel just handed out on loopback, released for the service to take. */
export async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  server.close();
  await once(server, 'close');
  return port;
}

export interface McrdOptions {
  port: number;
  storePath: string;
  env?: Record<string, string>;
  /** Run mcrd inside this namespace; its API is then reachable only from inside it too. */
  netns?: NetNs;
}

/** `ip netns exec NS cmd args` when a namespace is given (it execs: the pid is the command's). */
function spawnIn(netns: NetNs | undefined, args: string[], options: Parameters<typeof spawn>[2]): ChildProcess {
  return netns
    ? spawn('ip', ['netns', 'exec', netns.name, process.execPath, ...args], options)
    : spawn(process.execPath, args, options);
}

/** GET url from inside the namespace (or from here): the status code, 0 when nothing answered. */
async function statusOf(url: string, netns: NetNs | undefined): Promise<number> {
  if (netns === undefined) {
    try {
      return (await fetch(url)).status;
    } catch {
      return 0;
    }
  }
  // process.stdout.write, not console.log: under a forced-colour environment (Nx sets one)
  // console.log wraps a number in colour codes, and the status would not parse.
  const probe = `fetch(${JSON.stringify(url)}).then((r) => process.stdout.write(String(r.status)), () => process.stdout.write('0'))`;
  const result = await netns.run(process.execPath, ['-e', probe], { allowFailure: true });
  return Number(result.stdout.trim()) || 0;
}

/** One mcrd process; its output is kept so a failing test can show why the service died. */
export class McrdProcess {
  private child?: ChildProcess;
  private output = '';

  constructor(private readonly options: McrdOptions) {}

  get url(): string {
    return `http://127.0.0.1:${this.options.port}`;
  }

  get log(): string {
    return this.output;
  }

  async start(): Promise<void> {
    // Only what the test sets: an MCR_* variable of the developer's shell must not leak in.
    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/root',
      MCR_HTTP_HOST: '127.0.0.1',
      MCR_HTTP_PORT: String(this.options.port),
      MCR_STORE: `file:${this.options.storePath}`,
      MCR_NODE_ID: 'mcrctl-e2e',
      MCR_LOG_LEVEL: 'warn',
      ...e2eDatapathEnv(),
      ...this.options.env,
    };
    const child = spawnIn(this.options.netns, [MCRD_MAIN], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    await this.waitReady(child);
  }

  private async waitReady(child: ChildProcess): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`mcrd exited with ${child.exitCode} before ready:\n${this.output}`);
      if ((await statusOf(`${this.url}/readyz`, this.options.netns)) === 200) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`mcrd not ready at ${this.url}/readyz within ${READY_TIMEOUT_MS} ms:\n${this.output}`);
  }

  /** SIGTERM and wait for the exit; SIGKILL if it hangs, so a suite never leaks a service. */
  async stop(): Promise<number | null> {
    const child = this.child;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return child?.exitCode ?? null;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    const [code] = (await exited) as [number | null];
    clearTimeout(timer);
    return code;
  }
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node apps/mcrctl/dist/main.js ...args` to completion (inside `netns` when given). */
export async function mcrctl(
  url: string,
  args: string[],
  env: Record<string, string> = {},
  netns?: NetNs,
): Promise<CliResult> {
  const child = spawnMcrctl(url, args, env, netns);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr };
}

export function spawnMcrctl(
  url: string,
  args: string[],
  env: Record<string, string> = {},
  netns?: NetNs,
): ChildProcess {
  return spawnIn(netns, [MCRCTL_MAIN, ...args], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', MCR_URL: url, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Resolves once `text` contains `pattern`, checking each time more output arrives. */
export async function waitForOutput(read: () => string, pattern: RegExp, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(read())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${pattern} in:\n${read()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
