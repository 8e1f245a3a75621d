// Test harness of the mcrctl end-to-end suite: runs the real built mcrd on a free loopback port
// with a file store in a temp dir, and the real built mcrctl as a child process.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

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
      ...this.options.env,
    };
    const child = spawn(process.execPath, [MCRD_MAIN], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    await this.waitReady(child);
  }

  private async waitReady(child: ChildProcess): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`mcrd exited with ${child.exitCode} before ready:\n${this.output}`);
      try {
        const response = await fetch(`${this.url}/readyz`);
        if (response.status === 200) return;
      } catch {
        // not listening yet
      }
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

/** Runs `node apps/mcrctl/dist/main.js ...args` to completion. */
export async function mcrctl(url: string, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const child = spawnMcrctl(url, args, env);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr };
}

export function spawnMcrctl(url: string, args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, [MCRCTL_MAIN, ...args], {
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
