// Runs the real built mcrd (apps/mcrd/dist/main.js) inside a test namespace and talks to it
// over the management link; captures its output for failure messages.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { NetNs } from '../../lib';
import { checkRelayDatapath, e2eDatapathEnv, onEbpf } from '../../lib/datapath';

/** A parsed JSON reply: tests read it field by field, whichever route answered. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- one type per route would only restate the assertions
type JsonBody = any;

export const MCRD_MAIN = path.resolve(__dirname, '../../../apps/mcrd/dist/main.js');

export interface McrdOptions {
  ns: NetNs;
  /** Address of `ns` reachable from the test process (topology.relayMgmtAddress). */
  address: string;
  port?: number;
  /** Directory holding relays.json; a fresh temp dir when absent. */
  dataDir?: string;
  env?: Record<string, string>;
  /** The node binary to run mcrd with; default the one running the tests. */
  node?: string;
}

export interface McrdExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const STATS_ROUTE = /^\/api\/v1\/(stats|relays\/[^/?]+\/stats)(\?|$)/;
// Relays this node runs (armed): the others have no engine counters, and no datapath to check.
const ARMED = new Set(['forwarding', 'standby']);

/** The eBPF pass checks the datapath of every armed relay in every stats body a suite reads. */
function checkStatsDatapath(route: string, body: JsonBody): void {
  const match = STATS_ROUTE.exec(route);
  if (match === null || typeof body !== 'object' || body === null) return;
  const relays: JsonBody[] = match[1] === 'stats' ? (body.relays ?? []) : [body];
  for (const relay of relays) if (ARMED.has(relay.state)) checkRelayDatapath(relay, `GET ${route}`);
}

export class McrdProcess {
  readonly exited: Promise<McrdExit>;
  output = '';

  private constructor(
    readonly child: ChildProcess,
    readonly baseUrl: string,
    readonly dataDir: string,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  }

  static start(options: McrdOptions): McrdProcess {
    const port = options.port ?? 18080;
    const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'mcrd-e2e-'));
    const child = options.ns.exec(options.node ?? process.execPath, [MCRD_MAIN], {
      cwd: dataDir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        // Where @mcr/engine finds the native addon when it is not in its default places.
        ...(process.env.MCR_NATIVE_DIR === undefined ? {} : { MCR_NATIVE_DIR: process.env.MCR_NATIVE_DIR }),
        MCR_HTTP_HOST: options.address,
        MCR_HTTP_PORT: String(port),
        MCR_STORE: `file:${path.join(dataDir, 'relays.json')}`,
        MCR_NODE_ID: 'e2e-relay',
        MCR_LOG_LEVEL: 'warn',
        ...e2eDatapathEnv(),
        ...options.env,
      },
    });
    return new McrdProcess(child, `http://${options.address}:${port}`, dataDir);
  }

  get storePath(): string {
    return path.join(this.dataDir, 'relays.json');
  }

  fetch(route: string, init: RequestInit = {}): Promise<Response> {
    return fetch(`${this.baseUrl}${route}`, { ...init, signal: init.signal ?? AbortSignal.timeout(20_000) });
  }

  /** JSON request helper: returns status, headers and the parsed body. */
  async json(
    method: string,
    route: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; headers: Headers; body: JsonBody }> {
    const res = await this.fetch(route, {
      method,
      headers: body === undefined ? headers : { 'Content-Type': 'application/json', ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    if (method === 'GET' && res.status === 200) checkStatsDatapath(route, parsed);
    return { status: res.status, headers: res.headers, body: parsed };
  }

  /** Polls /readyz until 200; fails with mcrd's output when it exits or takes too long. */
  async waitReady(timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let exited: McrdExit | undefined;
    void this.exited.then((e) => (exited = e));
    while (Date.now() < deadline) {
      if (exited !== undefined)
        throw new Error(`mcrd exited (${JSON.stringify(exited)}) before ready:\n${this.output}`);
      try {
        const res = await this.fetch('/readyz', { signal: AbortSignal.timeout(1000) });
        if (res.status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`mcrd not ready within ${timeoutMs} ms:\n${this.output}`);
  }

  /** Stops mcrd; in the eBPF pass it first checks the datapath of every relay it runs (see below). */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<McrdExit> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.exited;
    let wrongDatapath: Error | undefined;
    await this.checkEveryRelayDatapath().catch((error: Error) => (wrongDatapath = error));
    this.child.kill(signal);
    const exit = await this.exited;
    if (wrongDatapath !== undefined) throw wrongDatapath;
    return exit;
  }

  /**
   * The eBPF pass's last look before mcrd goes: every armed relay in GET /api/v1/stats, so a suite
   * that never reads stats itself is checked too. A process that does not answer (frozen on
   * purpose, or already dying) is left alone: only a relay on the wrong datapath fails.
   */
  private async checkEveryRelayDatapath(): Promise<void> {
    if (!onEbpf()) return;
    let body: JsonBody;
    try {
      const res = await this.fetch('/api/v1/stats', { signal: AbortSignal.timeout(2_000) });
      if (res.status !== 200) return;
      body = await res.json();
    } catch {
      return;
    }
    checkStatsDatapath('/api/v1/stats', body);
  }

  removeData(): void {
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
