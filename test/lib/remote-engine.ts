// RemoteEngine: an Engine running in a child process inside a namespace, called from the test.
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { EngineOptions, EngineRelaySpec, EngineEvent, EngineRole, RelayCounters } from '@mcr/engine';
import type { NetNs } from './netns';
import { checkRelayDatapath, onEbpf, withE2eDatapath } from './datapath';

const HOST_SCRIPT = path.resolve(__dirname, '..', 'dist', 'lib', 'engine-host.js');

export class RemoteEngineError extends Error {
  constructor(
    message: string,
    readonly code?: string,
    readonly field?: string,
    readonly value?: string,
  ) {
    super(message);
  }
}

export class RemoteEngine {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private stderr = '';

  private constructor(private readonly child: ChildProcess) {
    child.on(
      'message',
      (reply: {
        id: number;
        result?: unknown;
        error?: { message: string; code?: string; field?: string; value?: string };
      }) => {
        const waiter = this.pending.get(reply.id);
        if (!waiter) return;
        this.pending.delete(reply.id);
        if (reply.error)
          waiter.reject(
            new RemoteEngineError(reply.error.message, reply.error.code, reply.error.field, reply.error.value),
          );
        else waiter.resolve(reply.result);
      },
    );
    child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    child.on('exit', (code, signal) => {
      for (const waiter of this.pending.values()) {
        waiter.reject(new Error(`engine host exited (${code ?? signal}): ${this.stderr.trim()}`));
      }
      this.pending.clear();
    });
  }

  /** Starts an engine host in `ns` and opens an Engine there, on the pass's datapath (lib/datapath.ts). */
  static async start(ns: NetNs, options: EngineOptions = {}): Promise<RemoteEngine> {
    const child = ns.exec(process.execPath, [HOST_SCRIPT], {
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    const remote = new RemoteEngine(child);
    await remote.call('open', withE2eDatapath(options));
    return remote;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  call<T = unknown>(method: string, ...args: unknown[]): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send({ id, method, args });
    });
  }

  async addRelay(spec: EngineRelaySpec): Promise<string> {
    const id = await this.call<string>('addRelay', spec);
    // The eBPF pass checks every relay as it starts, whether or not the suite reads its stats.
    if (onEbpf()) await this.relayStats(id);
    return id;
  }
  async updateRelay(id: string, spec: EngineRelaySpec): Promise<void> {
    await this.call('updateRelay', id, spec);
    if (onEbpf()) await this.relayStats(id);
  }
  removeRelay(id: string): Promise<void> {
    return this.call('removeRelay', id);
  }
  async stats(): Promise<RelayCounters[]> {
    const all = await this.call<RelayCounters[]>('stats');
    for (const relay of all) checkRelayDatapath(relay, 'engine stats');
    return all;
  }
  async relayStats(id: string): Promise<RelayCounters | null> {
    const relay = await this.call<RelayCounters | null>('relayStats', id);
    if (relay !== null) checkRelayDatapath(relay, 'engine relayStats');
    return relay;
  }
  setRole(role: EngineRole): Promise<void> {
    return this.call('setRole', role);
  }
  events(): Promise<EngineEvent[]> {
    return this.call<EngineEvent[]>('events');
  }

  /** Closes the engine and waits for the host process to exit by itself (no open handles). */
  async close(timeoutMs = 5000): Promise<number | null> {
    const exited = new Promise<number | null>((resolve) => {
      if (this.child.exitCode !== null) resolve(this.child.exitCode);
      else this.child.once('exit', (code) => resolve(code));
    });
    await this.call('close');
    this.child.disconnect();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    const code = await exited;
    clearTimeout(timer);
    return code;
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }

  /** Calls `listener` once the host process has exited (at once if it has already). */
  onExit(listener: () => void): void {
    if (this.child.exitCode !== null || this.child.signalCode !== null) listener();
    else this.child.once('exit', listener);
  }
}
