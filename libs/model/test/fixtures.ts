// A valid relay spec for tests to start from; each test changes one thing.
import type { RelaySpec } from '../src/relay';

export function validSpec(): RelaySpec {
  return {
    name: 'market-feed-a',
    input: { interface: 'eth0', group: '239.1.1.1', port: 5000, sources: ['10.0.0.5'] },
    outputs: [
      { interface: 'eth1', group: '239.2.2.2', port: 6000, ttl: 16, dscp: 46 },
      { interface: 'wg0', group: '10.100.0.2', port: 6000 },
    ],
  };
}
