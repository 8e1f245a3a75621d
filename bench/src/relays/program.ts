// Relays that are bench programs of our own (the Node.js dgram relay, MCR's engine): one Node
// process pinned to the relay CPU, reading its routes from a file, signalling with a ready file.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { RelayProgramConfig } from '../programs/routes-file';
import { start, stop } from '../proc';
import { ADDR, IF, PINNING, pinnedInNs, RELAY_NS } from '../topology';
import { waitForReadyFile } from './ready';
import type { RelayKind, RelayUnderTest, Route, RunningRelay } from './relay';

export const RELAY_SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;
export const RELAY_OUTPUT_TTL = 8;

export function programConfig(routes: Route[], datapath?: RelayProgramConfig['datapath']): RelayProgramConfig {
  return {
    ...(datapath ? { datapath } : {}),
    routes,
    inputInterface: IF.relayIn,
    inputAddress: ADDR.relayIn,
    outputInterface: IF.relayOut,
    outputAddress: ADDR.relayOut,
    ttl: RELAY_OUTPUT_TTL,
    socketBufferBytes: RELAY_SOCKET_BUFFER_BYTES,
  };
}

function programRelay(
  kind: RelayKind,
  label: string,
  script: string,
  datapath?: RelayProgramConfig['datapath'],
): RelayUnderTest {
  return {
    kind,
    label,
    rewritesGroup: true,
    maxOutputs: Number.MAX_SAFE_INTEGER,
    async start(routes: Route[], workDir: string): Promise<RunningRelay> {
      const configFile = path.join(workDir, `${kind}-routes.json`);
      const readyFile = path.join(workDir, `${kind}-${Date.now()}.ready`);
      writeFileSync(configFile, JSON.stringify(programConfig(routes, datapath)));
      const programPath = path.join(__dirname, '..', 'programs', script);
      return startPinnedProgram(label, process.execPath, [programPath, configFile, readyFile], readyFile);
    },
  };
}

/** Starts a program pinned to the relay CPU in the relay namespace; waits for its ready file. */
export async function startPinnedProgram(
  label: string,
  program: string,
  args: string[],
  readyFile: string,
): Promise<RunningRelay> {
  const [cmd, pinnedArgs] = pinnedInNs(RELAY_NS, PINNING.relayCpu, program, args);
  const proc = start(cmd, pinnedArgs);
  try {
    await waitForReadyFile(readyFile, 60000, proc.running);
  } catch (error) {
    const exit = await stop(proc);
    throw new Error(`${label} did not start: ${exit.stderr.trim() || String(error)}`);
  }
  return { pids: () => [proc.pid], stop: async () => void (await stop(proc)) };
}

export const nodeDgramRelay = programRelay('node-dgram', 'Node.js dgram', 'node-relay.js');
export const mcrEngineRelay = programRelay('mcr-engine', 'MCR engine', 'mcr-engine-relay.js', 'socket');

/** Outputs the eBPF program forwards per relay (MCR_EBPF_MAX_OUTPUTS); more run on sockets. */
export const EBPF_MAX_OUTPUTS = 16;

/** The same engine with its tc program forwarding in the receive softirq (docs/ebpf-datapath.md). */
export const mcrEngineEbpfRelay: RelayUnderTest = {
  ...programRelay('mcr-engine-ebpf', 'MCR engine, eBPF datapath', 'mcr-engine-relay.js', 'ebpf'),
  maxOutputs: EBPF_MAX_OUTPUTS,
  requires: { ebpfDatapath: true },
};
