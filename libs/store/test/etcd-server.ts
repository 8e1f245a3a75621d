// A real single-member etcd on loopback for the store's tests: free ports, a temp data dir,
// readiness by `etcdctl endpoint health`, stopped with SIGTERM then SIGKILL after a bound.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const READY_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 5_000;

export interface EtcdServer {
  /** host:port of the client endpoint. */
  endpoint: string;
  etcdctl(...args: string[]): Promise<string>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

/** `extraArgs` are added to etcd's command line (e.g. `--max-txn-ops=16`); the rest are etcd's defaults. */
export async function startEtcd(extraArgs: readonly string[] = []): Promise<EtcdServer> {
  const [clientPort, peerPort] = [await freePort(), await freePort()];
  const dir = mkdtempSync(join(tmpdir(), 'mcr-etcd-'));
  const endpoint = `127.0.0.1:${clientPort}`;
  let output = '';
  const child: ChildProcess = spawn(
    'etcd',
    [
      '--name',
      'store-test',
      '--data-dir',
      dir,
      '--logger=zap',
      '--log-level=error',
      '--listen-client-urls',
      `http://${endpoint}`,
      '--advertise-client-urls',
      `http://${endpoint}`,
      '--listen-peer-urls',
      `http://127.0.0.1:${peerPort}`,
      '--initial-advertise-peer-urls',
      `http://127.0.0.1:${peerPort}`,
      '--initial-cluster',
      `store-test=http://127.0.0.1:${peerPort}`,
      '--heartbeat-interval=50',
      '--election-timeout=500',
      ...extraArgs,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const etcdctl = async (...args: string[]): Promise<string> =>
    (
      await run('etcdctl', [`--endpoints=${endpoint}`, '--command-timeout=3s', ...args], {
        env: { ...process.env, ETCDCTL_API: '3' },
      })
    ).stdout;
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`etcd exited before it was ready:\n${output}`);
    try {
      await etcdctl('endpoint', 'health');
      return { endpoint, etcdctl, stop };
    } catch (error) {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`etcd not healthy within ${READY_TIMEOUT_MS} ms: ${(error as Error).message}\n${output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
