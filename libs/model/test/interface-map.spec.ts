// MCR_INTERFACE_MAP parsing (errors name the bad entry) and applying it to a relay spec.
import { applyInterfaceMap, InterfaceMapError, parseInterfaceMap } from '../src/interface-map';
import { validSpec } from './fixtures';

describe('parseInterfaceMap', () => {
  it.each([
    [
      'uplink=eth0,downlink=eth3',
      [
        ['uplink', 'eth0'],
        ['downlink', 'eth3'],
      ],
    ],
    [
      ' uplink = eth0 , downlink=eth3 ',
      [
        ['uplink', 'eth0'],
        ['downlink', 'eth3'],
      ],
    ],
    [
      'a=eth0,b=eth0',
      [
        ['a', 'eth0'],
        ['b', 'eth0'],
      ],
    ],
    ['', []],
    ['  ', []],
  ])('%p', (text, entries) => {
    expect([...parseInterfaceMap(text)]).toEqual(entries);
  });

  it.each([
    ['uplink', "interface map entry 'uplink' must be logical=real, e.g. uplink=eth0"],
    ['uplink=eth0=eth1', "interface map entry 'uplink=eth0=eth1' must be logical=real, e.g. uplink=eth0"],
    ['uplink=eth0,,x=y', "interface map entry '' must be logical=real, e.g. uplink=eth0"],
    [
      'uplink=',
      "interface map entry 'uplink=': '' is not a Linux interface name (1..15 characters, no '/', ':' or whitespace)",
    ],
    [
      'up/link=eth0',
      "interface map entry 'up/link=eth0': 'up/link' is not a Linux interface name (1..15 characters, no '/', ':' or whitespace)",
    ],
    [
      'uplink=averyveryverylongname',
      "interface map entry 'uplink=averyveryverylongname': 'averyveryverylongname' is not a Linux interface name (1..15 characters, no '/', ':' or whitespace)",
    ],
    ['uplink=eth0,uplink=eth1', "interface map entry 'uplink=eth1': 'uplink' is mapped twice"],
  ])('rejects %p', (text, message) => {
    expect(() => parseInterfaceMap(text)).toThrow(new InterfaceMapError(message));
  });
});

describe('applyInterfaceMap', () => {
  it('maps logical names on the input and every output and leaves unmapped names alone', () => {
    const spec = { ...validSpec(), id: 'r1', revision: 4 };
    const mapped = applyInterfaceMap(spec, parseInterfaceMap('eth0=ens1,eth1=ens2'));
    expect(mapped.input.interface).toBe('ens1');
    expect(mapped.outputs.map((output) => output.interface)).toEqual(['ens2', 'wg0']);
    expect(mapped).toMatchObject({ id: 'r1', revision: 4, name: spec.name });
    expect(mapped.input.sources).toEqual(spec.input.sources);
    expect(spec.input.interface).toBe('eth0');
  });
});
