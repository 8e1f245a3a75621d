// Drives the mcrgen / mcrsink traffic tools inside namespaces and parses their JSON reports.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { toolPath } from '@mcr/engine';
import type { NetNs } from './netns';

/** The fields of `mcrsink --json` the suites assert on (the tool prints more). */
export interface SinkReport {
  received: number;
  bytes: number;
  lost: number;
  duplicates: number;
  reordered: number;
  [field: string]: unknown;
}

export interface GenReport {
  sent: number;
  [field: string]: unknown;
}

export interface SinkHandle {
  /** Waits for the sink to stop by itself (--count / --idle-timeout / --duration). */
  result(): Promise<SinkReport>;
  /** Asks the sink to stop now (SIGINT) and returns its report. */
  stop(): Promise<SinkReport>;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface ProcessOutcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Waits for a child process to end, keeping everything it printed. */
export function collect(child: ReturnType<NetNs['exec']>): Promise<ProcessOutcome> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function parseReport<T>(tool: string, outcome: ProcessOutcome): T {
  if (outcome.code !== 0) throw new Error(`${tool} exited ${outcome.code}: ${outcome.stderr.trim()}`);
  try {
    return JSON.parse(outcome.stdout) as T;
  } catch {
    throw new Error(`${tool} printed no JSON report: ${outcome.stdout.slice(0, 500)} ${outcome.stderr.slice(0, 500)}`);
  }
}

export interface ToolOptions {
  /** The tool binary to run; default the workspace's (toolPath). Packaging tests pass an installed one. */
  binary?: string;
  readyTimeoutMs?: number;
}

/** Starts mcrsink in `ns`; resolves once its socket is joined (it writes a ready file). */
export async function startSink(ns: NetNs, args: string[], options: ToolOptions = {}): Promise<SinkHandle> {
  const readyTimeoutMs = options.readyTimeoutMs ?? 5000;
  const dir = mkdtempSync(path.join(tmpdir(), 'mcrsink-'));
  const readyFile = path.join(dir, 'ready');
  const child = ns.exec(options.binary ?? toolPath('mcrsink'), [...args, '--json', '--ready-file', readyFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const outcome = collect(child);
  const deadline = Date.now() + readyTimeoutMs;
  while (!existsSync(readyFile)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      const failed = await outcome;
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`mcrsink ${args.join(' ')} did not become ready: ${failed.stderr.trim()}`);
    }
    await sleep(10);
  }
  rmSync(dir, { recursive: true, force: true });
  const result = async (): Promise<SinkReport> => parseReport<SinkReport>('mcrsink', await outcome);
  return {
    result,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGINT');
      return result();
    },
  };
}

/** Runs mcrgen in `ns` to completion and returns its report. */
export async function runGen(ns: NetNs, args: string[], options: ToolOptions = {}): Promise<GenReport> {
  const child = ns.exec(options.binary ?? toolPath('mcrgen'), [...args, '--json'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return parseReport<GenReport>('mcrgen', await collect(child));
}

/** Starts mcrgen in the background (for streams that run while a test changes things). */
export function startGen(ns: NetNs, args: string[]): Promise<GenReport> {
  return runGen(ns, args);
}

export { sleep };
