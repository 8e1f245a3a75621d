// The production install files are valid for the tools that read them: systemd accepts the unit,
// promtool accepts the scrape config and the alert rules and passes their unit tests, and every
// sysctl key exists on this kernel.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { run } from '../lib';
import { REPO_ROOT } from './support/install';

const PACKAGING = path.join(REPO_ROOT, 'packaging');
const read = (file: string): string => readFileSync(path.join(PACKAGING, file), 'utf8');

describe('mcrd.service', () => {
  const unit = read('mcrd.service');
  const directives = unit.split('\n').filter((line) => /^[A-Za-z]+=/.test(line));

  it('passes systemd-analyze verify without a single complaint', async () => {
    // verify also checks that ExecStart exists: point it at a binary this host has.
    const dir = mkdtempSync(path.join(tmpdir(), 'mcr-unit-'));
    const copy = path.join(dir, 'mcrd.service');
    writeFileSync(copy, unit.replace(/^ExecStart=.*$/m, 'ExecStart=/bin/true'));
    const result = await run('systemd-analyze', ['verify', copy], { allowFailure: true });
    rmSync(dir, { recursive: true, force: true });
    expect({ code: result.code, output: (result.stdout + result.stderr).trim() }).toEqual({ code: 0, output: '' });
  });

  it('runs as the mcr user with the hardening that keeps V8 and netlink working', () => {
    expect(directives).toEqual(
      expect.arrayContaining([
        'User=mcr',
        'EnvironmentFile=/etc/mcr/mcrd.env',
        'NoNewPrivileges=yes',
        'ProtectSystem=strict',
        'StateDirectory=mcr',
        'RuntimeDirectory=mcr',
        'RestrictAddressFamilies=AF_INET AF_INET6 AF_NETLINK AF_UNIX',
      ]),
    );
    expect(directives.filter((line) => /^(MemoryDenyWriteExecute|PrivateUsers|PrivateNetwork)=/.test(line))).toEqual(
      [],
    );
  });
});

describe('mcrd.service.d/querier.conf', () => {
  const dropIn = read('mcrd.service.d/querier.conf');

  it('adds only CAP_NET_RAW and AF_PACKET, for the querier', () => {
    const directives = dropIn.split('\n').filter((line) => /^[A-Za-z]+=/.test(line));
    expect(directives).toEqual([
      'CapabilityBoundingSet=CAP_NET_RAW',
      'AmbientCapabilities=CAP_NET_RAW',
      'RestrictAddressFamilies=AF_PACKET',
    ]);
  });

  it('passes systemd-analyze verify beside the unit', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mcr-unit-'));
    const copy = path.join(dir, 'mcrd.service');
    writeFileSync(copy, read('mcrd.service').replace(/^ExecStart=.*$/m, 'ExecStart=/bin/true'));
    mkdirSync(path.join(dir, 'mcrd.service.d'));
    writeFileSync(path.join(dir, 'mcrd.service.d', 'querier.conf'), dropIn);
    const result = await run('systemd-analyze', ['verify', copy], { allowFailure: true });
    rmSync(dir, { recursive: true, force: true });
    expect({ code: result.code, output: (result.stdout + result.stderr).trim() }).toEqual({ code: 0, output: '' });
  });
});

describe('prometheus', () => {
  const promtool = (args: string[]) => run('promtool', args, { cwd: path.join(PACKAGING, 'prometheus') });

  it('promtool accepts the scrape config and the alert rules', async () => {
    await promtool(['check', 'config', 'prometheus.yml']);
    const rules = await promtool(['check', 'rules', 'mcr-alerts.yml']);
    expect(rules.stdout).toContain('SUCCESS: 8 rules found');
  });

  it('each alert fires on its situation and not on a healthy pair (promtool test rules)', async () => {
    const result = await promtool(['test', 'rules', 'mcr-alerts.test.yml']);
    expect(result.stdout).toContain('SUCCESS');
    const names = [...read('prometheus/mcr-alerts.yml').matchAll(/- alert: (\w+)/g)].map((m) => m[1]).sort();
    expect(names).toEqual([
      'McrDropsRising',
      'McrNoActiveNode',
      'McrRelayInputRtpLoss',
      'McrRelayLegSilent',
      'McrRelayMergeSkew',
      'McrRelayNotForwarding',
      'McrRelaySilent',
      'McrTwoActiveNodes',
    ]);
  });
});

it('sysctl.d/90-mcr.conf sets only keys this kernel has', async () => {
  const keys = read('sysctl.d/90-mcr.conf')
    .split('\n')
    .filter((line) => /^[a-z]/.test(line))
    .map((line) => line.split('=')[0].trim());
  expect(keys.sort()).toEqual([
    'net.core.rmem_max',
    'net.core.wmem_max',
    'net.ipv4.igmp_max_memberships',
    'net.ipv4.igmp_max_msf',
    'net.ipv6.mld_max_msf',
  ]);
  for (const key of keys) await run('sysctl', ['-n', key]);
});

it('keepalived.conf follows /healthz/active, and the Dockerfile runs mcrd as a non-root user', () => {
  expect(read('keepalived.conf')).toMatch(/script ".*curl -fsS .*\/healthz\/active"/);
  const dockerfile = read('Dockerfile');
  expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
  expect(dockerfile).toMatch(/^USER mcr$/m);
  expect(dockerfile).toMatch(/--network host/);
});
