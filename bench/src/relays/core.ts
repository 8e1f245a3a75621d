// MCR's engine core in a plain C++ process (native/bench/core_relay.cc): the same forwarding code
// as "MCR engine" without Node.js around it, the bare-loop reference for the engine's CPU per
// datagram. Built beside mcrgen/mcrsink; not part of the shipped package.
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { toolPath } from '@mcr/engine';
import { IF } from '../topology';
import { RELAY_OUTPUT_TTL, RELAY_SOCKET_BUFFER_BYTES, startPinnedProgram } from './program';
import type { RelayUnderTest, Route, RunningRelay } from './relay';

export function coreRelayPath(): string {
  const file = path.join(path.dirname(toolPath('mcrgen')), 'mcr-core-relay');
  if (!existsSync(file))
    throw new Error(`${file} is missing: build the native workspace (npm run build -w @mcr/native)`);
  return file;
}

/** The routes file mcr-core-relay reads: one `relay` line per route. */
export function coreRoutesFile(routes: Route[]): string {
  const lines = [`socket-buffer ${RELAY_SOCKET_BUFFER_BYTES}`];
  for (const route of routes) {
    const outputs = route.outputs.map((output) => `${output.group}:${output.port}`).join(' ');
    lines.push(
      `relay ${route.name} ${IF.relayIn} ${route.input.group} ${route.input.port} ${IF.relayOut} ${RELAY_OUTPUT_TTL} ${outputs}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export const mcrCoreRelay: RelayUnderTest = {
  kind: 'mcr-core',
  label: 'MCR core, no Node',
  rewritesGroup: true,
  maxOutputs: Number.MAX_SAFE_INTEGER,
  async start(routes: Route[], workDir: string): Promise<RunningRelay> {
    const routesFile = path.join(workDir, 'mcr-core-routes.txt');
    const readyFile = path.join(workDir, `mcr-core-${Date.now()}.ready`);
    writeFileSync(routesFile, coreRoutesFile(routes));
    return startPinnedProgram(this.label, coreRelayPath(), [routesFile, readyFile], readyFile);
  },
};
