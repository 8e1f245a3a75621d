// mcrd on an etcd that requires TLS client certificates and password authentication (DESIGN's
// etcds:// with MCR_ETCD_CA/CERT/KEY and MCR_ETCD_USER/PASSWORD): it leads, stores relays where
// a reader with its own credentials finds them, and forwards. A wrong password, a missing client
// certificate or a CA that did not sign etcd's certificate stops start-up with a message that says
// which.
import type { ChildProcess } from 'node:child_process';
import { createRelayTopology, runGen, sleep, startSink, type Topology } from '../lib';
import { createTestPki, type TestPki } from '../lib/tls-certs';
import { McrdProcess } from './support/mcrd-process';
import { relayBody } from './support/relays';

const ENDPOINT = '127.0.0.1:23790';
const PEER = '127.0.0.1:23800';

describe('mcrd on etcd with TLS and authentication', () => {
  let topo: Topology;
  let pki: TestPki;
  let etcd: ChildProcess;
  let dataDir: string;
  const started: McrdProcess[] = [];

  /** etcdctl inside the relay namespace, over TLS with the client certificate, as `user`. */
  const etcdctl = async (user: string | undefined, ...args: string[]): Promise<string> => {
    const auth = user === undefined ? [] : [`--user=${user}`];
    const res = await topo.relay.run('etcdctl', [
      `--endpoints=https://${ENDPOINT}`,
      `--cacert=${pki.ca}`,
      `--cert=${pki.clientCert}`,
      `--key=${pki.clientKey}`,
      '--command-timeout=5s',
      ...auth,
      ...args,
    ]);
    return res.stdout;
  };

  const mcrdEnv = (overrides: Record<string, string> = {}): Record<string, string> => ({
    MCR_STORE: `etcds://${ENDPOINT}`,
    MCR_ETCD_CA: pki.ca,
    MCR_ETCD_CERT: pki.clientCert,
    MCR_ETCD_KEY: pki.clientKey,
    MCR_ETCD_USER: 'mcr',
    MCR_ETCD_PASSWORD: 'mcr-secret',
    MCR_LEASE_TTL_S: '2',
    ...overrides,
  });

  beforeAll(async () => {
    topo = await createRelayTopology('mcrdtls');
    pki = await createTestPki();
    dataDir = `${pki.dir}/etcd`;
    etcd = topo.relay.exec(
      'etcd',
      [
        '--name',
        'tls',
        '--data-dir',
        dataDir,
        '--logger=zap',
        '--log-level=error',
        '--listen-client-urls',
        `https://${ENDPOINT}`,
        '--advertise-client-urls',
        `https://${ENDPOINT}`,
        '--listen-peer-urls',
        `http://${PEER}`,
        '--initial-advertise-peer-urls',
        `http://${PEER}`,
        '--initial-cluster',
        `tls=http://${PEER}`,
        '--cert-file',
        pki.serverCert,
        '--key-file',
        pki.serverKey,
        '--trusted-ca-file',
        pki.ca,
        '--client-cert-auth',
      ],
      { stdio: 'ignore' },
    );
    const deadline = Date.now() + 20_000;
    while (
      !(await etcdctl(undefined, 'endpoint', 'health').then(
        () => true,
        () => false,
      ))
    ) {
      if (Date.now() > deadline) throw new Error('etcd with TLS did not become healthy');
      await sleep(100);
    }
    await etcdctl(undefined, 'user', 'add', 'root:root-secret');
    await etcdctl(undefined, 'user', 'grant-role', 'root', 'root');
    await etcdctl(undefined, 'role', 'add', 'mcr-rw');
    await etcdctl(undefined, 'role', 'grant-permission', 'mcr-rw', '--prefix=true', 'readwrite', '/mcr/');
    await etcdctl(undefined, 'user', 'add', 'mcr:mcr-secret');
    await etcdctl(undefined, 'user', 'grant-role', 'mcr', 'mcr-rw');
    await etcdctl(undefined, 'auth', 'enable');
  });
  afterAll(async () => {
    for (const mcrd of started) {
      await mcrd.stop('SIGKILL');
      mcrd.removeData();
    }
    etcd?.kill('SIGKILL');
    await topo?.destroy();
    pki?.remove();
  });

  it('leads, stores the relay where an authenticated reader finds it, and forwards', async () => {
    const mcrd = McrdProcess.start({ ns: topo.relay, address: topo.relayMgmtAddress, env: mcrdEnv() });
    started.push(mcrd);
    await mcrd.waitReady();
    const deadline = Date.now() + 10_000;
    while ((await mcrd.fetch('/healthz/active')).status !== 200) {
      if (Date.now() > deadline) throw new Error(`mcrd did not become active on the TLS etcd:\n${mcrd.output}`);
      await sleep(100);
    }
    const created = await mcrd.json('POST', '/api/v1/relays', relayBody('tls-feed', 5300));
    expect(created.status).toBe(201);
    const stored = await etcdctl(
      'root:root-secret',
      'get',
      '--print-value-only',
      `/mcr/default/relays/${created.body.id}`,
    );
    expect(JSON.parse(stored)).toMatchObject({ name: 'tls-feed', input: { port: 5300 } });

    const sink = await startSink(topo.sink, [
      '--group',
      '239.2.2.2',
      '--port',
      '6300',
      '--interface',
      'sink0',
      '--idle-timeout',
      '1500',
    ]);
    await runGen(topo.gen, [
      '--group',
      '239.1.1.1',
      '--port',
      '5300',
      '--interface',
      'gen0',
      '--rate',
      '5000',
      '--count',
      '5000',
    ]);
    expect((await sink.result()).received).toBe(5000);
    await mcrd.stop('SIGTERM');
  });

  it('stops start-up on a wrong password, saying authentication failed', async () => {
    const mcrd = McrdProcess.start({
      ns: topo.relay,
      address: topo.relayMgmtAddress,
      port: 18083,
      env: mcrdEnv({ MCR_ETCD_PASSWORD: 'wrong' }),
    });
    started.push(mcrd);
    expect((await mcrd.exited).code).toBe(1);
    expect(mcrd.output).toMatch(/mcrd: cannot start: .*authentication failed/i);
  });

  it('stops start-up without a client certificate, naming the etcd store it could not reach', async () => {
    const env = mcrdEnv();
    delete env.MCR_ETCD_CERT;
    delete env.MCR_ETCD_KEY;
    const mcrd = McrdProcess.start({ ns: topo.relay, address: topo.relayMgmtAddress, port: 18084, env });
    started.push(mcrd);
    expect((await mcrd.exited).code).toBe(1);
    expect(mcrd.output).toContain(`mcrd: cannot start: etcd store etcds://${ENDPOINT} is unavailable`);
    expect(mcrd.output).toMatch(
      new RegExp(
        `TLS handshake with ${ENDPOINT.replace(/\./g, '\\.')}: .*(certificate required|bad certificate); check MCR_ETCD_CA, MCR_ETCD_CERT and MCR_ETCD_KEY`,
      ),
    );
  });

  it("stops start-up when MCR_ETCD_CA did not sign etcd's certificate, saying so", async () => {
    const otherPki = await createTestPki();
    try {
      const mcrd = McrdProcess.start({
        ns: topo.relay,
        address: topo.relayMgmtAddress,
        port: 18085,
        env: mcrdEnv({ MCR_ETCD_CA: otherPki.ca }),
      });
      started.push(mcrd);
      expect((await mcrd.exited).code).toBe(1);
      expect(mcrd.output).toContain(`mcrd: cannot start: etcd store etcds://${ENDPOINT} is unavailable`);
      expect(mcrd.output).toMatch(
        /TLS handshake with .*: (unable to verify the first certificate|certificate signature failure|self[- ]signed certificate)/,
      );
    } finally {
      otherPki.remove();
    }
  });
});
