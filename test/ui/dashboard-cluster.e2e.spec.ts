// The dashboard's cluster view on a real two-node cluster (two mcrd sharing one etcd): it
// shows both members and the leader, and a switchover and maintenance started from the page
// (token entered, each confirmed) change the roles that the API reports.
import { createRelayTopology, sleep, type Topology } from '../lib';
import { EtcdCluster } from '../lib/etcd';
import { McrdProcess } from '../mcrd/support/mcrd-process';
import { openBrowser, type DashboardBrowser } from './support/browser';

// Ports of this suite only, so it runs beside the other suites.
const PORT_A = 18530;
const PORT_B = 18531;
const TOKEN = 'ui-ha-write';
const LEASE_TTL_S = 2;

interface ClusterAnswer {
  role: string;
  leader: string | null;
  members: { nodeId: string; role: string; maintenance: boolean }[];
}

describe('dashboard cluster view (chromium, two mcrd on etcd)', () => {
  let topo: Topology;
  let etcd: EtcdCluster;
  let a: McrdProcess;
  let b: McrdProcess;
  let ui: DashboardBrowser;
  const cluster = async (node: McrdProcess): Promise<ClusterAnswer> =>
    (await node.json('GET', '/api/v1/cluster')).body as ClusterAnswer;
  const memberRow = (nodeId: string) => ui.page.locator('table.members tbody tr', { hasText: nodeId });

  beforeAll(async () => {
    topo = await createRelayTopology('mcruiha');
    // One etcd member on the relay namespace's loopback: both nodes reach it, nothing else does.
    etcd = await EtcdCluster.start(topo.relay, ['127.0.0.1']);
    const start = (nodeId: string, port: number) =>
      McrdProcess.start({
        ns: topo.relay,
        address: topo.relayMgmtAddress,
        port,
        env: {
          MCR_STORE: etcd.url,
          MCR_CLUSTER: 'mcrui',
          MCR_NODE_ID: nodeId,
          MCR_LEASE_TTL_S: String(LEASE_TTL_S),
          MCR_API_TOKEN: TOKEN,
        },
      });
    a = start('mcrui-a', PORT_A);
    await a.waitReady();
    await until(async () => (await cluster(a)).role === 'active', 'mcrui-a active');
    b = start('mcrui-b', PORT_B);
    await b.waitReady();
    await until(async () => (await cluster(a)).members.length === 2, 'both members listed');
    ui = await openBrowser();
  });
  afterAll(async () => {
    await ui?.close();
    await Promise.all([a?.stop('SIGKILL'), b?.stop('SIGKILL')]);
    a?.removeData();
    b?.removeData();
    await etcd?.stop();
    await topo?.destroy();
  });
  afterEach(() => {
    expect(ui.errors).toEqual([]);
  });

  it('lists both members with their roles and the leader', async () => {
    await ui.page.goto(`${a.baseUrl}/ui/#/cluster`);
    await memberRow('mcrui-b').waitFor();
    await expect(memberRow('mcrui-a').locator('.badge').textContent()).resolves.toMatch(/active/);
    await expect(memberRow('mcrui-b').locator('.badge').textContent()).resolves.toMatch(/standby/);
    for (const node of ['mcrui-a', 'mcrui-b']) {
      await expect(memberRow(node).locator('[data-field="live-inputs"]').textContent()).resolves.toMatch(/^\d+$/);
    }
    await expect(ui.page.locator('.totals').textContent()).resolves.toMatch(/Leadermcrui-a/);
  });

  it('switches over to the standby from the page', async () => {
    await ui.page.fill('#api-token', TOKEN);
    await ui.page.click('form.token button[type="submit"]');
    await memberRow('mcrui-b').getByRole('button', { name: 'Switch over to mcrui-b' }).click();
    await ui.page.getByRole('dialog').getByRole('button', { name: 'Switch over', exact: true }).click();
    await ui.page.locator('.totals', { hasText: 'Leadermcrui-b' }).waitFor({ timeout: LEASE_TTL_S * 5000 });
    expect(await cluster(b)).toMatchObject({ role: 'active', leader: 'mcrui-b' });
    expect(await cluster(a)).toMatchObject({ role: 'standby' });
    // A switchover is resign-then-campaign: a poll may land in the moment nobody holds the key,
    // so the page shows either the direct change or its two steps (newest first).
    await expect(ui.page.locator('ol.changes').textContent()).resolves.toMatch(
      /mcrui-a → mcrui-b|none → mcrui-b.*mcrui-a → none/,
    );
    await ui.screenshot('cluster-switchover');
  });

  it('puts the node in maintenance from the page and takes it out again', async () => {
    await ui.page.getByRole('button', { name: 'Start maintenance' }).click();
    await ui.page.getByRole('dialog').getByRole('button', { name: 'Start maintenance' }).click();
    await memberRow('mcrui-a').locator('[data-field="maintenance"]', { hasText: /^yes$/ }).waitFor({ timeout: 10_000 });
    // The other node learns it from mcrui-a's member record in etcd.
    await until(
      async () => (await cluster(b)).members.find((m) => m.nodeId === 'mcrui-a')?.maintenance === true,
      'mcrui-b sees mcrui-a in maintenance',
    );
    // A member in maintenance is offered no switchover.
    await expect(memberRow('mcrui-a').getByRole('button').count()).resolves.toBe(0);

    await ui.page.getByRole('button', { name: 'End maintenance' }).click();
    await ui.page.getByRole('dialog').getByRole('button', { name: 'End maintenance' }).click();
    await memberRow('mcrui-a').locator('[data-field="maintenance"]', { hasText: /^no$/ }).waitFor({ timeout: 10_000 });
    await until(
      async () => (await cluster(b)).members.find((m) => m.nodeId === 'mcrui-a')?.maintenance === false,
      'mcrui-b sees mcrui-a out of maintenance',
    );
  });
});

async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(200);
  }
}
