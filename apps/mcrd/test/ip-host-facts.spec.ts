// IpHostFacts parses what `ip -j` and /proc answer: a scripted `ip` stands in for the real one,
// so the parsing is checked without touching the host (batch lines that fail print nothing).
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IpHostFacts } from '../src/diagnostics/ip-host-facts';

const FAKE_IP = `#!/bin/sh
case "$*" in
  "-j link show") echo '[{"ifname":"in0","flags":["BROADCAST","UP","LOWER_UP"],"operstate":"UP"},{"ifname":"in1","flags":["BROADCAST"],"operstate":"DOWN"}]' ;;
  "-j neigh show") echo '[{"dst":"10.77.3.99","dev":"out1","state":["FAILED"]},{"dst":"FD77:3::9","dev":"out1","state":["REACHABLE"]}]' ;;
  *-batch*) while read -r line; do
      case "$line" in
        "route get 10.77.4.2") echo '[{"dst":"10.77.4.2","dev":"in1","prefsrc":"10.77.4.1"}]' ;;
        "route get 10.77.3.99 oif out1") echo '[{"dst":"10.77.3.99","dev":"out1"}]' ;;
        "route get 10.9.9.9 oif out1") echo '[{"dst":"10.9.9.9","gateway":"10.77.3.1","dev":"out1"}]' ;;
        *) echo "RTNETLINK answers: Network is unreachable" >&2 ;;
      esac
    done ;;
esac
`;

describe('IpHostFacts', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mcrd-hostfacts-'));
    writeFileSync(join(dir, 'ip'), FAKE_IP);
    chmodSync(join(dir, 'ip'), 0o755);
    for (const [device, value] of [
      ['all', '0'],
      ['in0', '1'],
      ['in1', '2'],
    ]) {
      mkdirSync(join(dir, 'conf', device), { recursive: true });
      writeFileSync(join(dir, 'conf', device, 'rp_filter'), `${value}\n`);
    }
    writeFileSync(
      join(dir, 'netstat'),
      'TcpExt: SyncookiesSent IPReversePathFilter TW\nTcpExt: 0 17 3\nIpExt: InNoRoutes\nIpExt: 0\n',
    );
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads links, neighbours, routes, the effective rp_filter and the reverse-path drop count', async () => {
    const facts = new IpHostFacts({ ip: join(dir, 'ip'), procSys: join(dir, 'conf'), netstat: join(dir, 'netstat') });
    const snapshot = await facts.snapshot({
      routesBack: ['10.77.4.2', '198.51.100.7'],
      routesVia: [
        { address: '10.77.3.99', device: 'out1' },
        { address: '10.9.9.9', device: 'out1' },
      ],
      rpFilterDevices: ['in0', 'in1', 'gone0'],
    });
    expect(snapshot.links).toEqual(
      new Map([
        ['in0', { up: true }],
        ['in1', { up: false }],
      ]),
    );
    expect(snapshot.neighbours).toEqual([
      { address: '10.77.3.99', device: 'out1', states: ['FAILED'] },
      { address: 'fd77:3::9', device: 'out1', states: ['REACHABLE'] },
    ]);
    expect(snapshot.routesBack).toEqual(new Map([['10.77.4.2', { device: 'in1' }]]));
    expect(snapshot.routesVia).toEqual(
      new Map([
        ['10.77.3.99%out1', { device: 'out1' }],
        ['10.9.9.9%out1', { device: 'out1', gateway: '10.77.3.1' }],
      ]),
    );
    expect(snapshot.rpFilter).toEqual(
      new Map([
        ['in0', 1],
        ['in1', 2],
        ['gone0', 0],
      ]),
    );
    expect(snapshot.reversePathFilterDrops).toBe(17);
  });
});
