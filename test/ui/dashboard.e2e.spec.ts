// The dashboard in a real browser against the real mcrd in a namespace topology: it loads
// without console errors, lists the relays, its rates move while traffic flows, and disabling
// and enabling a relay from the page stops and restarts its traffic at the sink.
import { createRelayTopology, startGen, startSink, sleep, type Topology } from '../lib';
import { onEbpf } from '../lib/datapath';
import { McrdProcess } from '../mcrd/support/mcrd-process';
import { relayBody } from '../mcrd/support/relays';
import { openBrowser, type DashboardBrowser } from './support/browser';

// Ports of this suite only, so it can run beside the other mcrd suites.
const MCRD_PORT = 18500;
const TOKEN = 'ui-e2e-write';
const GEN_RATE_PPS = 2000;

describe('dashboard at /ui (chromium, real mcrd, network namespaces)', () => {
  let topo: Topology;
  let mcrd: McrdProcess;
  let ui: DashboardBrowser;
  const auth = { Authorization: `Bearer ${TOKEN}` };
  const row = (name: string) => ui.page.locator(`tr[data-relay="${name}"]`);

  beforeAll(async () => {
    topo = await createRelayTopology('mcrui');
    mcrd = McrdProcess.start({
      ns: topo.relay,
      address: topo.relayMgmtAddress,
      port: MCRD_PORT,
      env: { MCR_API_TOKEN: TOKEN, MCR_NODE_ID: 'mcrui-node' },
    });
    await mcrd.waitReady();
    for (const [name, port] of [
      ['ui-feed-a', 5000],
      ['ui-feed-b', 5100],
    ] as const) {
      expect((await mcrd.json('POST', '/api/v1/relays', relayBody(name, port), auth)).status).toBe(201);
    }
    ui = await openBrowser();
  });
  afterAll(async () => {
    await ui?.close();
    await mcrd?.stop('SIGKILL');
    mcrd?.removeData();
    await topo?.destroy();
  });
  afterEach(() => {
    expect(ui.errors).toEqual([]);
  });

  const rate = async (name: string) =>
    parseRate(await row(name).locator('[data-field="packetsInPerSecond"]').textContent());

  it('loads quickly and lists the relays of the running mcrd with their state', async () => {
    const started = Date.now();
    await ui.page.goto(`${mcrd.baseUrl}/ui/`);
    await row('ui-feed-b').waitFor();
    const firstLoadMs = Date.now() - started;
    console.log(`dashboard first load (page + bundle + first API answers): ${firstLoadMs} ms`);
    expect(firstLoadMs).toBeLessThan(5000);
    for (const name of ['ui-feed-a', 'ui-feed-b'])
      await expect(row(name).locator('.badge').textContent()).resolves.toMatch(/forwarding/);
    await expect(ui.page.locator('header .node').textContent()).resolves.toMatch(/mcrui-node/);
    expect([await rate('ui-feed-a'), await rate('ui-feed-b')]).toEqual([0, 0]);
  });

  it('shows the input rate of a relay moving while traffic flows, and none on the idle one', async () => {
    // Traffic into ui-feed-a from here to the end of the suite; the topology's teardown stops it.
    startGen(topo.gen, [
      '--group',
      '239.1.1.1',
      '--port',
      '5000',
      '--interface',
      'gen0',
      '--rate',
      String(GEN_RATE_PPS),
      '--duration',
      '600',
    ]).catch(() => undefined);
    await waitUntil(
      async () => (await rate('ui-feed-a')) > GEN_RATE_PPS * 0.5,
      15_000,
      'ui-feed-a rate above half the generator rate',
    );
    const first = await rate('ui-feed-a');
    expect(first).toBeLessThan(GEN_RATE_PPS * 1.5);
    expect(await rate('ui-feed-b')).toBe(0);
    // The sparkline has drawn a canvas and the history grows with every poll.
    await expect(row('ui-feed-a').locator('.sparkline canvas').count()).resolves.toBe(1);
    await ui.screenshot('relays');
  });

  it('filters by name and state and sorts by a column, from the keyboard', async () => {
    const names = () =>
      ui.page.locator('table.relays tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-relay')));
    await ui.page.getByLabel('Name').fill('feed-b');
    expect(await names()).toEqual(['ui-feed-b']);
    await ui.page.getByLabel('Name').fill('');
    await ui.page.getByLabel('State').selectOption('disabled');
    expect(await names()).toEqual([]);
    await ui.page.getByLabel('State').selectOption('');

    const sortByRate = ui.page.getByRole('button', { name: 'In pkt/s' });
    await sortByRate.focus();
    await ui.page.keyboard.press('Enter');
    expect(await names()).toEqual(['ui-feed-a', 'ui-feed-b']);
    await expect(ui.page.locator('th', { has: sortByRate }).getAttribute('aria-sort')).resolves.toBe('descending');
    await ui.page.keyboard.press('Enter');
    expect(await names()).toEqual(['ui-feed-b', 'ui-feed-a']);
    await expect(ui.page.locator('th', { has: sortByRate }).getAttribute('aria-sort')).resolves.toBe('ascending');
    await ui.page.getByRole('button', { name: 'Name' }).press('Enter');
  });

  it('disables and enables a relay from the page, with the token and a confirmation, and the sink sees it', async () => {
    await ui.page.fill('#api-token', TOKEN);
    await ui.page.click('form.token button[type="submit"]');

    // Escape backs out of the confirmation and nothing changes.
    await row('ui-feed-a').getByRole('button', { name: 'Disable ui-feed-a' }).click();
    await ui.page.keyboard.press('Escape');
    expect(
      (await mcrd.json('GET', '/api/v1/relays')).body.find((r: { name: string }) => r.name === 'ui-feed-a').enabled,
    ).toBe(true);

    await row('ui-feed-a').getByRole('button', { name: 'Disable ui-feed-a' }).click();
    await ui.page.getByRole('dialog').getByRole('button', { name: 'Disable', exact: true }).click();
    await row('ui-feed-a').locator('.badge', { hasText: 'disabled' }).waitFor({ timeout: 10_000 });
    await expect(ui.page.locator('.status .ok').textContent()).resolves.toMatch(/ui-feed-a disabled/);
    const whileDisabled = await sinkCount(topo);
    expect(whileDisabled).toBe(0);
    await ui.screenshot('relay-disabled');

    await row('ui-feed-a').getByRole('button', { name: 'Enable ui-feed-a' }).click();
    await ui.page.getByRole('dialog').getByRole('button', { name: 'Enable', exact: true }).click();
    await row('ui-feed-a').locator('.badge', { hasText: 'forwarding' }).waitFor({ timeout: 10_000 });
    const whileEnabled = await sinkCount(topo);
    expect(whileEnabled).toBeGreaterThan(GEN_RATE_PPS);
  });

  it("shows one relay's definition, counters and outputs", async () => {
    await row('ui-feed-a').getByRole('link', { name: 'ui-feed-a' }).click();
    await ui.page.getByRole('heading', { name: 'ui-feed-a' }).waitFor();
    await expect(ui.page.locator('.pairs').textContent()).resolves.toMatch(/in0 239\.1\.1\.1:5000/);
    await expect(ui.page.locator('table.outputs tbody tr').count()).resolves.toBe(1);
    await expect(ui.page.locator('table.outputs').textContent()).resolves.toMatch(/239\.2\.2\.2:6000/);
    const counters = await ui.page.locator('table.counters').textContent();
    expect(counters).toMatch(/packetsIn/);
    expect(counters).toMatch(/drops\.rxqOverflow/);
    await ui.page.locator('.panel canvas').first().waitFor();
    // On eBPF the program forwards without reading payloads: the page says that analyze auto
    // counts nothing there, as information; on sockets the host checks find nothing.
    const diagnostics = ui.page.locator('.diagnostics');
    await diagnostics.locator('ul, p:not([role="status"])').first().waitFor();
    if (onEbpf()) {
      await expect(diagnostics.locator('li[data-code="analysis-skipped-ebpf"]').textContent()).resolves.toMatch(
        /info.*eBPF datapath.*analyze auto.*counts nothing/,
      );
    } else {
      await expect(diagnostics.textContent()).resolves.toMatch(/Nothing found/);
    }
    await ui.screenshot('relay');
  });

  it("shows a redundant relay's two legs and what the host checks found", async () => {
    const body = {
      ...relayBody('ui-feed-ab', 5300),
      redundancy: { input: { interface: 'in0', group: '239.1.3.2', port: 5300 }, mode: 'merge', key: 'payload' },
    };
    const created = await mcrd.json('POST', '/api/v1/relays', body, auth);
    expect(created.status).toBe(201);
    await ui.page.goto(`${mcrd.baseUrl}/ui/#/relays/${String(created.body.id)}`);
    await ui.page.getByRole('heading', { name: 'ui-feed-ab' }).waitFor();
    const legs = ui.page.locator('table.legs tbody tr');
    await expect(legs.count()).resolves.toBe(2);
    await expect(ui.page.locator('tr[data-leg="a"]').textContent()).resolves.toMatch(/in0.*239\.1\.1\.1:5300/);
    await expect(ui.page.locator('tr[data-leg="b"]').textContent()).resolves.toMatch(
      /in0.*239\.1\.3\.2:5300.*never received/,
    );
    // A redundant relay runs on sockets on either datapath: the merge is the socket path's. The eBPF
    // pass asked for the program, so the page says why this relay does not run on it.
    await expect(ui.page.locator('[data-field="datapath"]').textContent()).resolves.toMatch(
      onEbpf() ? /^socket \(redundancy: .+\)$/ : /^socket$/,
    );
    // Nothing sends to this relay: the host check says its input is silent and what to look at.
    const silent = ui.page.locator('.diagnostics li[data-code="input-silent"]');
    await silent.waitFor();
    await expect(silent.textContent()).resolves.toMatch(/warning.*has received nothing.*→ check that the sender/);
    await ui.screenshot('relay-redundant');
  });

  it('shows the cluster view of a single node', async () => {
    await ui.page.getByRole('link', { name: 'Cluster' }).click();
    await ui.page.getByRole('heading', { name: 'Cluster' }).waitFor();
    const summary = await ui.page.locator('.totals').textContent();
    expect(summary).toMatch(/This nodemcrui-node/);
    expect(summary).toMatch(/Role\W*active/);
    expect(summary).toMatch(/Leadermcrui-node/);
    await ui.screenshot('cluster');
  });
});

/** "1.99 kpkt/s" -> 1990. */
function parseRate(text: string | null): number {
  const match = /([\d.]+) (k|M|G)?pkt\/s/.exec(text ?? '');
  if (match === null) throw new Error(`not a packet rate: '${text}'`);
  return Number(match[1]) * ({ k: 1e3, M: 1e6, G: 1e9 }[match[2] as 'k' | 'M' | 'G'] ?? 1);
}

/** Datagrams of ui-feed-a that reach the sink in 2 seconds. */
async function sinkCount(topo: Topology): Promise<number> {
  const sink = await startSink(topo.sink, [
    '--group',
    '239.2.2.2',
    '--port',
    '6000',
    '--interface',
    'sink0',
    '--duration',
    '2',
  ]);
  return (await sink.result()).received;
}

async function waitUntil(condition: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(250);
  }
}
