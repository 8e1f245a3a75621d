// Relay specs on loopback for the binding's suites: each call takes the next two ports (ingress,
// output) from a range of its own, so suites and concurrent runs (by pid) never share a port.
import type { EngineRelaySpec } from '../../src';

export function loopbackSpecs(basePort: number): (overrides?: Partial<EngineRelaySpec>) => EngineRelaySpec {
  let nextPort = basePort + (process.pid % 1000) * 8;
  return (overrides = {}) => {
    const port = nextPort;
    nextPort += 2;
    return {
      name: `lo-${port}`,
      input: { interface: 'lo', group: '127.0.0.1', port },
      outputs: [{ interface: 'lo', group: '127.0.0.1', port: port + 1 }],
      ...overrides,
    };
  };
}
