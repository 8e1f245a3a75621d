// validateRelaySpec: each rule rejects its bad value with a message naming the field and the value.
import { validateRelaySpec } from '../src/validate';
import { validSpec } from './fixtures';

// Tests poke at any field, including ones of the wrong type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a spec bent into shapes no type describes
type Mutable = Record<string, any>;

function withChange(change: (spec: Mutable) => void): unknown {
  const spec = validSpec() as unknown as Mutable;
  change(spec);
  return spec;
}

describe('validateRelaySpec accepts', () => {
  it.each<[string, (spec: Mutable) => void]>([
    ['the README example', () => undefined],
    [
      'no sources and no optional output fields',
      (s) => {
        delete s.input.sources;
        s.outputs = [{ interface: 'eth1', group: '239.2.2.2', port: 1 }];
      },
    ],
    [
      'an empty source list',
      (s) => {
        s.input.sources = [];
      },
    ],
    [
      'enabled false',
      (s) => {
        s.enabled = false;
      },
    ],
    [
      'a unicast ingress (local address)',
      (s) => {
        s.input = { interface: 'eth0', group: '192.168.1.10', port: 65535 };
      },
    ],
    [
      'IPv6 everywhere, any spelling',
      (s) => {
        s.input = { interface: 'eth0', group: 'FF3E:0::1', port: 5000, sources: ['2001:DB8::5', '2001:db8::6'] };
        s.outputs = [{ interface: 'eth1', group: 'ff3e::2', port: 6000, source: '2001:db8::7' }];
      },
    ],
    [
      'an IPv4 ingress feeding an IPv6 output',
      (s) => {
        s.outputs = [{ interface: 'eth1', group: 'ff3e::2', port: 6000 }];
      },
    ],
    [
      'ttl inherit and bounds',
      (s) => {
        s.outputs = [
          { interface: 'a', group: '239.2.2.2', port: 1, ttl: 'inherit' },
          { interface: 'b', group: '239.2.2.2', port: 1, ttl: 255, dscp: 63 },
          { interface: 'c', group: '239.2.2.2', port: 1, ttl: 1, dscp: 0 },
        ];
      },
    ],
    [
      '256 outputs',
      (s) => {
        s.outputs = Array.from({ length: 256 }, (_, i) => ({ interface: 'eth1', group: '239.2.2.2', port: i + 1 }));
      },
    ],
    [
      'a 128-character unicode name',
      (s) => {
        s.name = 'é'.repeat(128);
      },
    ],
    [
      'a 15-character interface name',
      (s) => {
        s.input.interface = 'vlan.1234567890';
      },
    ],
  ])('%s', (_, change) => {
    expect(validateRelaySpec(withChange(change))).toEqual([]);
  });

  it('accepts id and revision only when asked to', () => {
    const body = { ...validSpec(), id: 'abc', revision: 7 };
    expect(validateRelaySpec(body, { allowServerFields: true })).toEqual([]);
    expect(validateRelaySpec(body)).toEqual(['id is not a known field', 'revision is not a known field']);
    expect(validateRelaySpec({ ...body, revision: -1 }, { allowServerFields: true })).toEqual([
      'revision must be a non-negative integer, got -1',
    ]);
  });
});

const rejections: [(spec: Mutable) => void, string][] = [
  [
    (s) => {
      s.colour = 'red';
    },
    'colour is not a known field',
  ],
  [
    (s) => {
      s.input.vlan = 4;
    },
    'input.vlan is not a known field',
  ],
  [
    (s) => {
      s.outputs[1].loop = true;
    },
    'outputs[1].loop is not a known field',
  ],
  [
    (s) => {
      delete s.name;
    },
    'name is required',
  ],
  [
    (s) => {
      s.name = 42;
    },
    'name must be a non-empty string, got 42',
  ],
  [
    (s) => {
      s.name = '  ';
    },
    "name must be a non-empty string, got '  '",
  ],
  [
    (s) => {
      s.name = 'x'.repeat(129);
    },
    `name must be at most 128 characters, got 129 characters: '${'x'.repeat(80)}...'`,
  ],
  [
    (s) => {
      s.name = 'feed\nb';
    },
    "name must be free of control, zero-width and bidirectional formatting characters, got 'feed\\nb' (U+000A at index 4)",
  ],
  [
    (s) => {
      s.enabled = 'yes';
    },
    "enabled must be true or false, got 'yes'",
  ],
  [
    (s) => {
      delete s.input;
    },
    'input is required',
  ],
  [
    (s) => {
      s.input = [1];
    },
    'input must be an object, got [1]',
  ],
  [
    (s) => {
      delete s.input.interface;
    },
    'input.interface is required',
  ],
  [
    (s) => {
      s.input.interface = 'eth 0';
    },
    "input.interface must be a Linux interface name (1..15 characters, no '/', ':' or whitespace), got 'eth 0'",
  ],
  [
    (s) => {
      s.input.interface = 'a'.repeat(16);
    },
    `input.interface must be a Linux interface name (1..15 characters, no '/', ':' or whitespace), got '${'a'.repeat(16)}'`,
  ],
  [
    (s) => {
      s.input.interface = '';
    },
    "input.interface must be a Linux interface name (1..15 characters, no '/', ':' or whitespace), got ''",
  ],
  [
    (s) => {
      s.outputs[0].interface = 'eth0/1';
    },
    "outputs[0].interface must be a Linux interface name (1..15 characters, no '/', ':' or whitespace), got 'eth0/1'",
  ],
  [
    (s) => {
      s.outputs[0].interface = 'eth0:1';
    },
    "outputs[0].interface must be a Linux interface name (1..15 characters, no '/', ':' or whitespace), got 'eth0:1'",
  ],
  [
    (s) => {
      s.input.group = '239.1.1';
    },
    "input.group '239.1.1' is not an IPv4 or IPv6 address",
  ],
  [
    (s) => {
      s.input.group = 239;
    },
    'input.group must be an IPv4 or IPv6 address string, got 239',
  ],
  [
    (s) => {
      delete s.input.sources;
      s.input.group = '0.0.0.0';
    },
    "input.group '0.0.0.0' is the unspecified address; give a multicast group or a unicast address",
  ],
  [
    (s) => {
      s.outputs[1].group = '255.255.255.255';
    },
    "outputs[1].group '255.255.255.255' is the broadcast address; give a multicast group or a unicast address",
  ],
  [
    (s) => {
      s.outputs[1].group = 'fe80::1%eth0';
    },
    "outputs[1].group 'fe80::1%eth0' is not an IPv4 or IPv6 address",
  ],
  [
    (s) => {
      delete s.input.port;
    },
    'input.port is required',
  ],
  [
    (s) => {
      s.input.port = 0;
    },
    'input.port must be an integer 1..65535, got 0',
  ],
  [
    (s) => {
      s.outputs[1].port = 70000;
    },
    'outputs[1].port must be an integer 1..65535, got 70000',
  ],
  [
    (s) => {
      s.outputs[1].port = 80.5;
    },
    'outputs[1].port must be an integer 1..65535, got 80.5',
  ],
  [
    (s) => {
      s.outputs[1].port = '6000';
    },
    "outputs[1].port must be an integer 1..65535, got '6000'",
  ],
  [
    (s) => {
      s.input.sources = '10.0.0.5';
    },
    "input.sources must be an array of addresses, got '10.0.0.5'",
  ],
  [
    (s) => {
      s.input.group = '192.168.1.10';
    },
    "input.sources is only allowed with a multicast input.group, got '192.168.1.10'",
  ],
  [
    (s) => {
      s.input.sources = ['10.0.0.5', '10.0.0'];
    },
    "input.sources[1] '10.0.0' is not an IPv4 or IPv6 address",
  ],
  [
    (s) => {
      s.input.sources = [7];
    },
    'input.sources[0] must be an IPv4 or IPv6 address string, got 7',
  ],
  [
    (s) => {
      s.input.sources = ['239.9.9.9'];
    },
    "input.sources[0] '239.9.9.9' must be a unicast address",
  ],
  [
    (s) => {
      s.input.sources = ['10.0.0.5', '2001:db8::5'];
    },
    "input.sources[1] '2001:db8::5' must be an IPv4 address like input.group '239.1.1.1'",
  ],
  [
    (s) => {
      s.input.group = 'ff3e::1';
      s.input.sources = ['2001:DB8::5', '2001:db8:0::5'];
    },
    "input.sources[1] '2001:db8:0::5' duplicates input.sources[0]",
  ],
  [
    (s) => {
      delete s.outputs;
    },
    'outputs is required',
  ],
  [
    (s) => {
      s.outputs = {};
    },
    'outputs must be an array of 1..256 outputs, got {}',
  ],
  [
    (s) => {
      s.outputs = [];
    },
    'outputs must have 1..256 entries, got 0',
  ],
  [
    (s) => {
      s.outputs = Array.from({ length: 257 }, (_, i) => ({ interface: 'eth1', group: '239.2.2.2', port: i + 1 }));
    },
    'outputs must have 1..256 entries, got 257',
  ],
  [
    (s) => {
      s.outputs[1] = 'eth1';
    },
    "outputs[1] must be an object, got 'eth1'",
  ],
  [
    (s) => {
      s.outputs[0].ttl = 0;
    },
    "outputs[0].ttl must be an integer 1..255 or 'inherit', got 0",
  ],
  [
    (s) => {
      s.outputs[0].ttl = 256;
    },
    "outputs[0].ttl must be an integer 1..255 or 'inherit', got 256",
  ],
  [
    (s) => {
      s.outputs[0].ttl = 'keep';
    },
    "outputs[0].ttl must be an integer 1..255 or 'inherit', got 'keep'",
  ],
  [
    (s) => {
      s.outputs[0].dscp = 64;
    },
    'outputs[0].dscp must be an integer 0..63, got 64',
  ],
  [
    (s) => {
      s.outputs[0].dscp = -1;
    },
    'outputs[0].dscp must be an integer 0..63, got -1',
  ],
  [
    (s) => {
      (s as { analyze?: unknown }).analyze = 'mpeg';
    },
    "analyze must be 'auto', 'rtp', 'ts' or 'off', got 'mpeg'",
  ],
  [
    (s) => {
      (s.outputs[0] as { onDemand?: unknown }).onDemand = 'yes';
    },
    "outputs[0].onDemand must be true or false, got 'yes'",
  ],
  [
    (s) => {
      s.outputs[1].onDemand = true;
    },
    "outputs[1].onDemand needs a multicast outputs[1].group, got '10.100.0.2'",
  ],
  [
    (s) => {
      s.outputs[0].source = '239.1.1.9';
    },
    "outputs[0].source '239.1.1.9' must be a unicast address",
  ],
  [
    (s) => {
      s.outputs[0].source = '2001:db8::1';
    },
    "outputs[0].source '2001:db8::1' must be an IPv4 address like outputs[0].group '239.2.2.2'",
  ],
  [
    (s) => {
      s.outputs[0].source = 'vip';
    },
    "outputs[0].source 'vip' is not an IPv4 or IPv6 address",
  ],
  [
    (s) => {
      s.outputs.push({ interface: 'eth1', group: '239.2.2.2', port: 6000 });
    },
    'outputs[2] duplicates outputs[0] (eth1 239.2.2.2:6000)',
  ],
  [
    (s) => {
      s.outputs = [
        { interface: 'eth1', group: 'FF3E::1', port: 1 },
        { interface: 'eth1', group: 'ff3e:0::1', port: 1 },
      ];
    },
    'outputs[1] duplicates outputs[0] (eth1 [ff3e::1]:1)',
  ],
];

describe('validateRelaySpec rejects', () => {
  it.each(rejections.map(([change, message]) => [message, change] as const))('%s', (message, change) => {
    expect(validateRelaySpec(withChange(change))).toEqual([message]);
  });

  it.each([null, 'relay', [validSpec()], 5])('a non-object body %p', (body) => {
    expect(validateRelaySpec(body)).toEqual([expect.stringMatching(/^relay must be an object, got /)]);
  });

  it('reports every problem at once', () => {
    const messages = validateRelaySpec({ name: '', input: { interface: 'eth0', group: 'x', port: -1 }, outputs: [] });
    expect(messages).toEqual([
      "name must be a non-empty string, got ''",
      "input.group 'x' is not an IPv4 or IPv6 address",
      'input.port must be an integer 1..65535, got -1',
      'outputs must have 1..256 entries, got 0',
    ]);
  });
});

describe('validateRelaySpec refuses look-alike names, naming the rule', () => {
  const edge = 'name must be without leading or trailing whitespace';
  const visible = 'name must be free of control, zero-width and bidirectional formatting characters';
  it.each([
    [' seed ', `${edge}, got ' seed '`],
    ['seed ', `${edge}, got 'seed '`],
    ['\tseed', `${edge}, got '\\tseed'`],
    ['seed\u00a0', `${edge}, got 'seed\u00a0'`],
    ['se\u200bed', `${visible}, got 'se\u200bed' (U+200B at index 2)`],
    ['seed\u200d', `${visible}, got 'seed\u200d' (U+200D at index 4)`],
    ['\u202eseed', `${visible}, got '\u202eseed' (U+202E at index 0)`],
    ['se\u2066ed\u2069', `${visible}, got 'se\u2066ed\u2069' (U+2066 at index 2)`],
    ['s\u200feed', `${visible}, got 's\u200feed' (U+200F at index 1)`],
    ['se\ufeffed', `${visible}, got 'se\ufeffed' (U+FEFF at index 2)`],
    ['se\u0007ed', `${visible}, got 'se\\u0007ed' (U+0007 at index 2)`],
  ])('%j', (name, message) => {
    expect(validateRelaySpec({ ...validSpec(), name })).toEqual([message]);
  });

  it.each(['seed', 'market feed a', 'Zürich-1', '東京 feed'])('accepts the visible name %j', (name) => {
    expect(validateRelaySpec({ ...validSpec(), name })).toEqual([]);
  });

  it('waives them for a relay read back from a store an older mcrd wrote, and only them', () => {
    expect(validateRelaySpec({ ...validSpec(), name: ' seed ' }, { alreadyStored: true })).toEqual([]);
    expect(validateRelaySpec({ ...validSpec(), name: 'se\u200bed' }, { alreadyStored: true })).toEqual([]);
    expect(validateRelaySpec({ ...validSpec(), name: '' }, { alreadyStored: true })).toEqual([
      "name must be a non-empty string, got ''",
    ]);
  });
});

describe('validateRelaySpec sees IPv4-mapped IPv6 addresses as the IPv4 address they map', () => {
  const spec = (input: Record<string, unknown>, output: Record<string, unknown> = {}) => ({
    name: 'mapped',
    input: { interface: 'eth0', group: '239.1.1.1', port: 5000, ...input },
    outputs: [{ interface: 'eth1', group: '239.2.2.2', port: 6000, ...output }],
  });

  it.each([
    ['::ffff:255.255.255.255', 'the broadcast address'],
    ['::ffff:ffff:ffff', 'the broadcast address'],
    ['::ffff:0.0.0.0', 'the unspecified address'],
    ['::ffff:0:0', 'the unspecified address'],
  ])('refuses the group %s as %s, on the input and on an output', (group, what) => {
    expect(validateRelaySpec(spec({ group }))).toEqual([expect.stringContaining(`input.group '${group}' is ${what}`)]);
    expect(validateRelaySpec(spec({}, { group }))).toEqual([
      expect.stringContaining(`outputs[0].group '${group}' is ${what}`),
    ]);
  });

  it('accepts an IPv4 source for an IPv4-mapped group, and a mapped source for an IPv4 group', () => {
    expect(validateRelaySpec(spec({ group: '::ffff:239.1.1.1', sources: ['10.0.0.5'] }))).toEqual([]);
    expect(validateRelaySpec(spec({ sources: ['::ffff:10.0.0.5'] }))).toEqual([]);
    expect(validateRelaySpec(spec({}, { source: '::ffff:10.0.0.7' }))).toEqual([]);
  });

  it('refuses an IPv6 source for an IPv4-mapped group', () => {
    expect(validateRelaySpec(spec({ group: '::ffff:239.1.1.1', sources: ['2001:db8::1'] }))).toEqual([
      "input.sources[0] '2001:db8::1' must be an IPv4 address like input.group '::ffff:239.1.1.1'",
    ]);
  });

  it('finds a source repeated in both spellings', () => {
    expect(validateRelaySpec(spec({ sources: ['10.0.0.5', '::ffff:10.0.0.5'] }))).toEqual([
      "input.sources[1] '::ffff:10.0.0.5' duplicates input.sources[0]",
    ]);
  });

  it('refuses the mapped broadcast address as a source', () => {
    expect(validateRelaySpec(spec({}, { source: '::ffff:255.255.255.255' }))).toEqual([
      "outputs[0].source '::ffff:255.255.255.255' must be a unicast address",
    ]);
  });

  it('finds an output repeated in both spellings', () => {
    const twice = spec({});
    twice.outputs.push({ interface: 'eth1', group: '::ffff:239.2.2.2', port: 6000 });
    expect(validateRelaySpec(twice)).toEqual(['outputs[1] duplicates outputs[0] (eth1 239.2.2.2:6000)']);
  });
});

describe('validateRelaySpec checks preferredNode as MCR_NODE_ID', () => {
  it('accepts a node id', () => {
    expect(validateRelaySpec({ ...validSpec(), preferredNode: 'mcr-b.dc1_2' })).toEqual([]);
  });

  it.each([
    ['', "''"],
    ['-b', "'-b'"],
    ['a/b', "'a/b'"],
    ['node b', "'node b'"],
    [7, '7'],
  ])('refuses %j, naming the field', (node, shown) => {
    expect(validateRelaySpec({ ...validSpec(), preferredNode: node })).toEqual([
      `preferredNode must be 1..63 characters of letters, digits, ".", "_" or "-", starting with a letter or digit, got ${shown}`,
    ]);
  });

  it('refuses a 64-character id', () => {
    const messages = validateRelaySpec({ ...validSpec(), preferredNode: 'x'.repeat(64) });
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/^preferredNode must be 1\.\.63 characters/);
  });
});
