// Rules files: JSON5 import (all or nothing, messages name rule and field) and export round-trip.
import { normalizeRelaySpec } from '../src/normalize';
import type { Relay } from '../src/relay';
import { formatRulesFile, parseRulesFile, RulesFileError } from '../src/rules-file';
import { validSpec } from './fixtures';

const FOREIGN_FILE = `// rules as another multicast relay writes them
{
  rules: [
    {
      name: 'market-a',
      input: { interface: 'eth0', group: '239.1.1.1', port: 5000 },
      outputs: [ { interface: 'eth1', group: '239.2.2.2', port: 6000, ttl: 8 }, ],
    },
    {
      name: "market-b", // MCR's own fields too
      enabled: false,
      input: { interface: 'eth0', group: 'FF3E::1', port: 5001, sources: ['2001:db8::5'] },
      outputs: [ { interface: 'eth2', group: 'ff3e::2', port: 6001, dscp: 46 } ],
    },
  ],
}`;

function messagesOf(text: string): string[] {
  try {
    parseRulesFile(text);
  } catch (error) {
    expect(error).toBeInstanceOf(RulesFileError);
    return (error as RulesFileError).messages;
  }
  throw new Error('parseRulesFile accepted the file');
}

function fileWith(...rules: unknown[]): string {
  return JSON.stringify({ rules });
}

describe('parseRulesFile', () => {
  it('reads the JSON5 format with comments, unquoted keys and trailing commas, normalised', () => {
    expect(parseRulesFile(FOREIGN_FILE).rules).toEqual([
      {
        name: 'market-a',
        enabled: true,
        input: { interface: 'eth0', group: '239.1.1.1', port: 5000 },
        outputs: [{ interface: 'eth1', group: '239.2.2.2', port: 6000, ttl: 8, dscp: 0 }],
      },
      {
        name: 'market-b',
        enabled: false,
        input: { interface: 'eth0', group: 'ff3e::1', port: 5001, sources: ['2001:db8::5'] },
        outputs: [{ interface: 'eth2', group: 'ff3e::2', port: 6001, ttl: 1, dscp: 46 }],
      },
    ]);
  });

  it('accepts an empty rule list', () => {
    expect(parseRulesFile('{ rules: [] }')).toEqual({ rules: [] });
  });

  it('gives line and column for a JSON5 syntax error', () => {
    const [message] = messagesOf('{\n  rules: [\n    { name: "a" name: "b" }\n  ]\n}');
    expect(message).toMatch(/^rules file is not valid JSON5 at line 3, column 17: invalid character 'n'/);
  });

  it.each([
    ['[]', 'rules file must be an object { rules: [...] }, got []'],
    ['"rules"', "rules file must be an object { rules: [...] }, got 'rules'"],
    ['{}', 'rules must be an array of relays, got nothing'],
    ['{ rules: {} }', 'rules must be an array of relays, got {}'],
  ])('rejects the document %s', (text, message) => {
    expect(messagesOf(text)).toEqual([message]);
  });

  it('rejects unknown top-level fields, naming them', () => {
    expect(messagesOf('{ rules: [], version: 2 }')).toEqual([
      "version is not a known field of a rules file (only 'rules')",
    ]);
  });

  it('rejects the whole file for one bad rule, naming the rule by index and name, and the field', () => {
    const bad = { ...validSpec(), name: 'market-b' };
    bad.outputs[0].port = 70000;
    const unnamed = { input: validSpec().input, outputs: validSpec().outputs };
    expect(messagesOf(fileWith({ ...validSpec(), name: 'ok' }, bad, unnamed))).toEqual([
      'rules[1] (market-b): outputs[0].port must be an integer 1..65535, got 70000',
      'rules[2]: name is required',
    ]);
  });

  it('rejects duplicate names and duplicate ingresses within the file', () => {
    const a = validSpec();
    const sameName = { ...validSpec(), input: { interface: 'eth9', group: '239.9.9.9', port: 9 } };
    const sameIngress = { ...validSpec(), name: 'other', input: { ...a.input, sources: ['10.0.0.5'] } };
    expect(messagesOf(fileWith(a, sameName, sameIngress))).toEqual([
      "rules[1] (market-feed-a): name 'market-feed-a' duplicates rules[0]",
      'rules[2] (other): input (eth0 239.1.1.1:5000) duplicates the ingress of rules[0] (market-feed-a)',
    ]);
  });

  it('refuses a file nested deeper than the stated limit before validating it', () => {
    const deep = `{ rules: [ { name: 'deep', input: ${'['.repeat(3000)}${']'.repeat(3000)} } ] }`;
    expect(() => parseRulesFile(deep)).toThrow(
      'rules file rejected: rules file must be nested at most 32 levels deep (objects and arrays)',
    );
  });

  it('accepts IPv4-mapped addresses and stores them as IPv4, so both spellings are one ingress', () => {
    const rule = (name: string, group: string) =>
      `{ name: '${name}', input: { interface: 'eth0', group: '${group}', port: 5000 }, outputs: [ { interface: 'eth1', group: '239.2.2.2', port: 6000 } ] }`;
    expect(parseRulesFile(`{ rules: [ ${rule('a', '::ffff:239.1.1.1')} ] }`).rules[0].input.group).toBe('239.1.1.1');
    expect(() => parseRulesFile(`{ rules: [ ${rule('a', '239.1.1.1')}, ${rule('b', '::ffff:ef01:101')} ] }`)).toThrow(
      'rules[1] (b): input (eth0 239.1.1.1:5000) duplicates the ingress of rules[0] (a)',
    );
  });

  it('error message of the exception lists the messages', () => {
    expect(() => parseRulesFile('{ rules: 1 }')).toThrow(
      'rules file rejected: rules must be an array of relays, got 1',
    );
  });
});

describe('formatRulesFile', () => {
  const relays: Relay[] = [
    { ...normalizeRelaySpec(validSpec()), id: 'c2a1', revision: 7 },
    {
      id: 'c2a2',
      revision: 9,
      name: 'v6-feed',
      enabled: false,
      input: { interface: 'eth0', group: 'FF3E:0::1', port: 5001 },
      outputs: [{ interface: 'eth1', group: '10.0.0.9', port: 6001, ttl: 'inherit', source: '10.0.0.1' }],
    },
  ];

  it('writes rules without id or revision, in a stable key order', () => {
    const text = formatRulesFile(relays);
    expect(text).not.toMatch(/"id"|"revision"/);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toContain(
      '{\n  "rules": [\n    {\n      "name": "market-feed-a",\n      "enabled": true,\n      "input": {\n        "interface": "eth0",',
    );
    expect(formatRulesFile(relays)).toBe(text);
  });

  it('round-trips: parse(format(relays)) equals the normalised specs, and format is a fixed point', () => {
    const text = formatRulesFile(relays);
    const parsed = parseRulesFile(text);
    expect(parsed.rules).toEqual(relays.map(normalizeRelaySpec));
    expect(formatRulesFile(parsed.rules)).toBe(text);
  });

  it('round-trips a foreign file through normalisation', () => {
    const first = parseRulesFile(FOREIGN_FILE);
    expect(parseRulesFile(formatRulesFile(first.rules))).toEqual(first);
  });
});

describe('the rules file keeps preferredNode', () => {
  it('round-trips it through format and parse', () => {
    const spec = { ...validSpec(), preferredNode: 'mcr-b' };
    expect(parseRulesFile(formatRulesFile([spec])).rules).toEqual([normalizeRelaySpec(spec)]);
    expect(parseRulesFile(formatRulesFile([spec])).rules[0].preferredNode).toBe('mcr-b');
  });
});
