// A network namespace the test owns: run processes in it, tear it down with everything in it.
// Every data-plane test builds its hosts from these; nothing is sent outside them.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion; rejects with its stderr when it exits non-zero. */
export function run(
  cmd: string,
  args: string[],
  options: SpawnOptions & { allowFailure?: boolean } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0 && !options.allowFailure) {
        reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${stderr.trim()}`));
      } else {
        resolve({ code, stdout, stderr });
      }
    });
  });
}

export class NetNs {
  private readonly children = new Set<ChildProcess>();

  private constructor(readonly name: string) {}

  /** Creates the namespace with loopback up; fails loudly (never skips) when it cannot. */
  static async create(name: string): Promise<NetNs> {
    await run('ip', ['netns', 'del', name], { allowFailure: true });
    try {
      await run('ip', ['netns', 'add', name]);
    } catch (error) {
      throw new Error(
        `cannot create network namespace ${name} (the end-to-end suites need root and netns support): ${String(error)}`,
      );
    }
    const ns = new NetNs(name);
    await ns.ip('link', 'set', 'lo', 'up');
    return ns;
  }

  /** `ip ARGS` inside this namespace. */
  ip(...args: string[]): Promise<RunResult> {
    return run('ip', ['-n', this.name, ...args]);
  }

  /** `sysctl -w KEY=VALUE` inside this namespace. */
  sysctl(key: string, value: string): Promise<RunResult> {
    return this.run('sysctl', ['-qw', `${key}=${value}`]);
  }

  /** Starts a process inside the namespace (ip netns exec execs it: the pid is the command's). */
  exec(cmd: string, args: string[], options: SpawnOptions = {}): ChildProcess {
    const child = spawn('ip', ['netns', 'exec', this.name, cmd, ...args], options);
    this.children.add(child);
    child.on('exit', () => this.children.delete(child));
    return child;
  }

  run(cmd: string, args: string[], options: { allowFailure?: boolean } = {}): Promise<RunResult> {
    return run('ip', ['netns', 'exec', this.name, cmd, ...args], options);
  }

  /** Kills whatever still runs in the namespace, then deletes it. */
  async destroy(): Promise<void> {
    for (const child of this.children) child.kill('SIGKILL');
    const pids = await run('ip', ['netns', 'pids', this.name], { allowFailure: true });
    for (const pid of pids.stdout.split(/\s+/).filter(Boolean)) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await run('ip', ['netns', 'del', this.name], { allowFailure: true });
  }
}
