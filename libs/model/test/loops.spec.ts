// findLoops: an output that equals an ingress on the node (its own or another relay's) is a loop.
import { findLoops } from '../src/loops';
import type { RelaySpec } from '../src/relay';
import { validSpec } from './fixtures';

describe('findLoops', () => {
  it('finds nothing for the README example', () => {
    expect(findLoops(validSpec(), [])).toEqual([]);
  });

  it('finds an output equal to the relay’s own ingress, across IPv6 spellings', () => {
    const spec: RelaySpec = {
      name: 'self',
      input: { interface: 'eth0', group: 'FF3E:0::1', port: 5000 },
      outputs: [
        { interface: 'eth1', group: 'ff3e::1', port: 5000 },
        { interface: 'eth0', group: 'ff3e::1', port: 5000 },
      ],
    };
    expect(findLoops(spec, [])).toEqual([
      "outputs[1] (eth0 [ff3e::1]:5000) is this relay's own ingress: it would loop",
    ]);
  });

  it.each([
    ['the output', '239.1.1.1', '::ffff:239.1.1.1'],
    ['the ingress', '::ffff:239.1.1.1', '239.1.1.1'],
    ['both, in hex', '::ffff:ef01:101', '::FFFF:239.1.1.1'],
  ])('finds a loop when %s is spelled IPv4-mapped', (_, inputGroup, outputGroup) => {
    const spec: RelaySpec = {
      name: 'self',
      input: { interface: 'eth0', group: inputGroup, port: 5000 },
      outputs: [{ interface: 'eth0', group: outputGroup, port: 5000 }],
    };
    expect(findLoops(spec, [])).toEqual([
      "outputs[0] (eth0 239.1.1.1:5000) is this relay's own ingress: it would loop",
    ]);
    const other = { name: 'feed-b', input: { interface: 'eth0', group: inputGroup, port: 5000 } };
    expect(findLoops({ ...spec, input: { ...spec.input, port: 5001 } }, [other])).toEqual([
      "outputs[0] (eth0 239.1.1.1:5000) is the ingress of relay 'feed-b': it would loop",
    ]);
  });

  it('finds an output equal to another relay’s ingress, naming that relay', () => {
    const other = {
      name: 'feed-b',
      input: { interface: 'eth1', group: '239.2.2.2', port: 6000, sources: ['10.9.9.9'] },
    };
    expect(findLoops(validSpec(), [other, { input: other.input }])).toEqual([
      "outputs[0] (eth1 239.2.2.2:6000) is the ingress of relay 'feed-b': it would loop",
      'outputs[0] (eth1 239.2.2.2:6000) is the ingress of another relay: it would loop',
    ]);
  });

  it.each([
    ['interface', { interface: 'eth2', group: '239.2.2.2', port: 6000 }],
    ['group', { interface: 'eth1', group: '239.2.2.3', port: 6000 }],
    ['port', { interface: 'eth1', group: '239.2.2.2', port: 6001 }],
  ])('does not flag an ingress that differs by %s', (_, input) => {
    expect(findLoops(validSpec(), [{ name: 'x', input }])).toEqual([]);
  });
});
