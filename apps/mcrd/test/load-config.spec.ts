// Configuration parsing: defaults, env over file, and every bad value or unknown key stopping
// start-up with a message naming the variable.
import { loadConfig } from '../src/config/load-config';

const files: Record<string, string> = {};
const load = (env: NodeJS.ProcessEnv) =>
  loadConfig({
    env,
    hostname: () => 'host-1',
    readFile: (path) => {
      if (!(path in files)) throw new Error(`ENOENT: no such file '${path}'`);
      return files[path];
    },
  });

describe('loadConfig', () => {
  it('reads MCR_HTTP_SOCKET with its mode (default 0660) and group; MCR_HTTP_PORT=off turns TCP off', () => {
    expect(load({ MCR_HTTP_SOCKET: '/run/mcr/mcrd.sock' }).httpSocket).toEqual({
      path: '/run/mcr/mcrd.sock',
      mode: 0o660,
    });
    expect(
      load({
        MCR_HTTP_PORT: 'off',
        MCR_HTTP_SOCKET: '/run/mcr/mcrd.sock',
        MCR_HTTP_SOCKET_MODE: '0600',
        MCR_HTTP_SOCKET_GROUP: 'mcr-admins',
      }),
    ).toMatchObject({ httpPort: 'off', httpSocket: { path: '/run/mcr/mcrd.sock', mode: 0o600, group: 'mcr-admins' } });
    expect(load({}).httpSocket).toBeUndefined();
  });

  it('applies the defaults of the public contract', () => {
    expect(load({})).toEqual({
      httpHost: '127.0.0.1',
      httpPort: 8080,
      store: 'file:./data/relays.json',
      etcdPrefix: '/mcr',
      cluster: 'default',
      nodeId: 'host-1',
      leaseTtlS: 3,
      onStoreLoss: 'standby',
      placement: 'node',
      logLevel: 'info',
      logFormat: 'json',
      httpSocket: undefined,
      engine: { workers: 1, cpus: [], realtimePriority: 0, busyPollUs: 0, gro: false, datapath: 'socket' },
      querier: { interfaces: [], intervalS: 125 },
      seedRelays: [],
      etcdCa: undefined,
      etcdCert: undefined,
      etcdKey: undefined,
      etcdUser: undefined,
      etcdPassword: undefined,
      interfaceMap: undefined,
      apiToken: undefined,
      apiTokenRead: undefined,
    });
  });

  it.each([
    [
      { MCR_HTTP_PORT: '80a' },
      /MCR_HTTP_PORT must be an integer 0\.\.65535, or off \(with MCR_HTTP_SOCKET\), got '80a'/,
    ],
    [{ MCR_HTTP_PORT: '70000' }, /MCR_HTTP_PORT .*'70000'/],
    [{ MCR_LEASE_TTL_S: '1.5' }, /MCR_LEASE_TTL_S .*'1\.5'/],
    [{ MCR_ON_STORE_LOSS: 'panic' }, /MCR_ON_STORE_LOSS must be one of standby, keep, got 'panic'/],
    [{ MCR_LOG_FORMAT: 'text' }, /MCR_LOG_FORMAT must be one of pretty, json, got 'text'/],
    [
      { MCR_HTTP_PORT: 'none' },
      /MCR_HTTP_PORT must be an integer 0\.\.65535, or off \(with MCR_HTTP_SOCKET\), got 'none'/,
    ],
    [{ MCR_HTTP_PORT: 'off' }, /MCR_HTTP_PORT is off and MCR_HTTP_SOCKET is not set: the API would be unreachable/],
    [{ MCR_HTTP_SOCKET: 'mcrd.sock' }, /MCR_HTTP_SOCKET must be an absolute path .*, got 'mcrd\.sock'/],
    [
      { MCR_HTTP_SOCKET: '/run/m.sock', MCR_HTTP_SOCKET_MODE: '660x' },
      /MCR_HTTP_SOCKET_MODE must be an octal file mode such as 0660, got '660x'/,
    ],
    [
      { MCR_HTTP_SOCKET: '/run/m.sock', MCR_HTTP_SOCKET_MODE: '0770' },
      /MCR_HTTP_SOCKET_MODE must not have execute bits/,
    ],
    [
      { MCR_HTTP_SOCKET: '/run/m.sock', MCR_HTTP_SOCKET_GROUP: 'a b' },
      /MCR_HTTP_SOCKET_GROUP must be a group name or a numeric gid, got 'a b'/,
    ],
    [{ MCR_HTTP_SOCKET_GROUP: 'mcr' }, /MCR_HTTP_SOCKET_GROUP is set but MCR_HTTP_SOCKET is not/],
    [{ MCR_PLACEMENT: 'stream' }, /MCR_PLACEMENT must be one of node, relay, got 'stream'/],
    [{ MCR_PLACEMENT: 'relay' }, /MCR_PLACEMENT=relay needs an etcd store \(MCR_STORE=etcd:\/\/\.\.\.\), got 'file:/],
    [
      { MCR_PLACEMENT: 'relay', MCR_STORE: 'etcd://127.0.0.1:2379', MCR_ON_STORE_LOSS: 'keep' },
      /MCR_PLACEMENT=relay needs MCR_ON_STORE_LOSS=standby/,
    ],
    [{ MCR_STORE: 'redis://x' }, /MCR_STORE must be file:<path> or etcd:.*'redis:\/\/x'/],
    [{ MCR_INTERFACE_MAP: 'uplink' }, /MCR_INTERFACE_MAP is not a valid interface map.*'uplink'/],
    [{ MCR_NODE_ID: 'a b' }, /MCR_NODE_ID .*'a b'/],
    [{ MCR_API_TOKEN: ' ' }, /MCR_API_TOKEN must not be empty, got \(hidden\)/],
    [
      { MCR_API_TOKEN: 's3cret ' },
      /MCR_API_TOKEN must not contain whitespace \(a bearer token is one word\), got \(hidden\)/,
    ],
    [{ MCR_API_TOKEN: ' s3cret' }, /MCR_API_TOKEN must not contain whitespace/],
    [{ MCR_API_TOKEN: 'two words' }, /MCR_API_TOKEN must not contain whitespace/],
    [{ MCR_API_TOKEN_READ: 'tab\there' }, /MCR_API_TOKEN_READ must not contain whitespace/],
    [{ MCR_API_TOKEN_READ: 'grüezi' }, /MCR_API_TOKEN_READ must be visible ASCII characters only/],
    [{ MCR_ENGINE_WORKERS: '0' }, /MCR_ENGINE_WORKERS must be an integer 1\.\.256, got '0'/],
    [{ MCR_ENGINE_CPUS: '3-1' }, /MCR_ENGINE_CPUS must be CPU numbers 0\.\.1023, e\.g\. 2,3 or 2-5, got '3-1'/],
    [{ MCR_ENGINE_CPUS: '1,x' }, /MCR_ENGINE_CPUS .*'1,x'/],
    [{ MCR_ENGINE_REALTIME_PRIORITY: '100' }, /MCR_ENGINE_REALTIME_PRIORITY must be an integer 0\.\.99, got '100'/],
    [{ MCR_ENGINE_BUSY_POLL_US: '2000000' }, /MCR_ENGINE_BUSY_POLL_US must be an integer 0\.\.1000000, got '2000000'/],
    [{ MCR_ENGINE_GRO: 'maybe' }, /MCR_ENGINE_GRO must be on or off, got 'maybe'/],
    [{ MCR_ENGINE_DATAPATH: 'xdp' }, /MCR_ENGINE_DATAPATH must be one of socket, ebpf, auto, got 'xdp'/],
    [{ MCR_QUERIER_INTERVAL_S: '0' }, /MCR_QUERIER_INTERVAL_S must be an integer 1\.\.3600, got '0'/],
    [{ MCR_QUERIER_INTERFACES: 'eth1,,eth2' }, /MCR_QUERIER_INTERFACES must be interface names .*'eth1,,eth2'/],
    [{ MCR_QUERIER_INTERFACES: 'eth1,eth1' }, /MCR_QUERIER_INTERFACES must name each interface once \('eth1'/],
    [{ MCR_QUERIER_INTERFACES: 'a/b' }, /MCR_QUERIER_INTERFACES must be interface names/],
  ])('stops on a bad value naming the variable: %j', (env, message) => {
    expect(() => load(env)).toThrow(message);
  });

  it('reads the engine tuning variables', () => {
    const env = {
      MCR_ENGINE_WORKERS: '2',
      MCR_ENGINE_CPUS: '1,4-6',
      MCR_ENGINE_REALTIME_PRIORITY: '10',
      MCR_ENGINE_BUSY_POLL_US: '200',
      MCR_ENGINE_GRO: 'on',
      MCR_ENGINE_DATAPATH: 'auto',
    };
    expect(load(env).engine).toEqual({
      workers: 2,
      cpus: [1, 4, 5, 6],
      realtimePriority: 10,
      busyPollUs: 200,
      gro: true,
      datapath: 'auto',
    });
    files['/etc/engine.yaml'] = 'MCR_ENGINE_CPUS: 2,3\nMCR_ENGINE_GRO: false\n';
    expect(load({ MCR_CONFIG: '/etc/engine.yaml' }).engine).toMatchObject({ cpus: [2, 3], gro: false });
  });

  it('reads the querier variables from the environment and the file', () => {
    expect(load({ MCR_QUERIER_INTERFACES: 'eth1, eth2', MCR_QUERIER_INTERVAL_S: '30' }).querier).toEqual({
      interfaces: ['eth1', 'eth2'],
      intervalS: 30,
    });
    files['/etc/querier.yaml'] = 'MCR_QUERIER_INTERFACES: eth3\nMCR_QUERIER_INTERVAL_S: 60\n';
    expect(load({ MCR_CONFIG: '/etc/querier.yaml' }).querier).toEqual({ interfaces: ['eth3'], intervalS: 60 });
  });

  it('reads YAML and JSON files; the environment overrides the file', () => {
    files['/etc/mcr.yaml'] = 'MCR_HTTP_PORT: 9000\nMCR_NODE_ID: relay-a\nMCR_INTERFACE_MAP: uplink=eth0\n';
    files['/etc/mcr.json'] = JSON.stringify({ MCR_HTTP_PORT: 9001, MCR_CLUSTER: 'site-1' });
    expect(load({ MCR_CONFIG: '/etc/mcr.yaml' })).toMatchObject({
      httpPort: 9000,
      nodeId: 'relay-a',
      interfaceMap: 'uplink=eth0',
    });
    expect(load({ MCR_CONFIG: '/etc/mcr.yaml', MCR_HTTP_PORT: '9100' })).toMatchObject({
      httpPort: 9100,
      nodeId: 'relay-a',
    });
    expect(load({ MCR_CONFIG: '/etc/mcr.json' })).toMatchObject({ httpPort: 9001, cluster: 'site-1' });
  });

  it('stops on unknown keys, bad file values, unreadable or unparsable files', () => {
    files['/etc/unknown.yaml'] = 'MCR_HTTP_PROT: 9000\n';
    files['/etc/badvalue.yaml'] = 'MCR_HTTP_PORT: -1\n';
    files['/etc/broken.json'] = '{"MCR_HTTP_PORT": ';
    files['/etc/list.yaml'] = '- a\n- b\n';
    expect(() => load({ MCR_CONFIG: '/etc/unknown.yaml' })).toThrow(/unknown key 'MCR_HTTP_PROT'/);
    expect(() => load({ MCR_CONFIG: '/etc/badvalue.yaml' })).toThrow(
      /MCR_HTTP_PORT \(from \/etc\/badvalue.yaml\) must be an integer.*'-1'/,
    );
    expect(() => load({ MCR_CONFIG: '/etc/broken.json' })).toThrow(/\/etc\/broken.json is not valid JSON/);
    expect(() => load({ MCR_CONFIG: '/etc/list.yaml' })).toThrow(/must contain a mapping/);
    expect(() => load({ MCR_CONFIG: '/etc/missing.yaml' })).toThrow(/MCR_CONFIG \/etc\/missing.yaml cannot be read/);
  });

  it('parses the relays: seed section, naming the relay and field of a bad one', () => {
    files['/etc/seed.yaml'] = [
      'relays:',
      '  - name: feed-a',
      '    input: { interface: eth0, group: 239.1.1.1, port: 5000 }',
      '    outputs: [ { interface: eth1, group: 239.2.2.2, port: 6000 } ]',
    ].join('\n');
    expect(load({ MCR_CONFIG: '/etc/seed.yaml' }).seedRelays).toMatchObject([
      { name: 'feed-a', input: { port: 5000 } },
    ]);
    files['/etc/badseed.yaml'] = files['/etc/seed.yaml'].replace('port: 6000', 'port: 0');
    expect(() => load({ MCR_CONFIG: '/etc/badseed.yaml' })).toThrow(/relays\[0\] \(feed-a\).*outputs\[0\]\.port/);
  });
});
