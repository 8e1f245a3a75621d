// packaging/grafana/mcr-relays.json against a running mcrd: every query of the dashboard names
// metrics that mcrd exports, and only labels those metrics carry (or Prometheus adds).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRelayTopology, run, sleep, type Topology } from '../lib';
import { McrdProcess } from '../mcrd/support/mcrd-process';
import { relayBody } from '../mcrd/support/relays';
import { parseExposition, problemsOf, queriesOf, type Exposition } from './support/promql-references';

const DASHBOARD = path.resolve(__dirname, '../../packaging/grafana/mcr-relays.json');
/** This suite's mcrd port only, so it runs beside the other suites. */
const MCRD_PORT = 18520;

describe('Grafana dashboard packaging/grafana/mcr-relays.json', () => {
  let topo: Topology;
  let mcrd: McrdProcess;
  let exported: Exposition;

  beforeAll(async () => {
    topo = await createRelayTopology('mcrgf');
    mcrd = McrdProcess.start({
      ns: topo.relay,
      address: topo.relayMgmtAddress,
      port: MCRD_PORT,
      env: { MCR_NODE_ID: 'mcrgf-node' },
    });
    await mcrd.waitReady();
    expect((await mcrd.json('POST', '/api/v1/relays', relayBody('gf-feed', 5000))).status).toBe(201);
    expect(
      (
        await mcrd.json(
          'POST',
          '/api/v1/relays',
          relayBody('gf-feed-out1', 5100, [{ interface: 'out1', group: '239.3.3.3', port: 6100 }]),
        )
      ).status,
    ).toBe(201);
    // A relay waits for a downed interface: the only time mcr_relay_interface_down has series.
    await topo.relay.ip('link', 'set', 'out1', 'down');
    exported = await metricsWith(mcrd, 'mcr_relay_interface_down');
  });
  afterAll(async () => {
    await mcrd?.stop('SIGKILL');
    mcrd?.removeData();
    await topo?.destroy();
  });

  it('references only metrics and labels that mcrd exports', () => {
    const queries = queriesOf(JSON.parse(readFileSync(DASHBOARD, 'utf8')));
    expect(queries.length).toBeGreaterThanOrEqual(12);
    expect(queries.flatMap((query) => problemsOf(query, exported))).toEqual([]);
  });

  it('every query is valid PromQL (promtool parses it as a recording rule)', async () => {
    const queries = queriesOf(JSON.parse(readFileSync(DASHBOARD, 'utf8'))).filter(
      (query) => !query.expr.startsWith('label_values('),
    );
    const rules = queries.map((query, index) => ({
      record: `grafana:query_${index}`,
      expr: withGrafanaVariables(query.expr),
    }));
    const dir = mkdtempSync(path.join(tmpdir(), 'mcrgf-'));
    try {
      // JSON is YAML, so the rules file needs no YAML writer.
      writeFileSync(path.join(dir, 'rules.yml'), JSON.stringify({ groups: [{ name: 'grafana', rules }] }));
      const checked = await run('promtool', ['check', 'rules', path.join(dir, 'rules.yml')], { allowFailure: true });
      expect({ code: checked.code, output: checked.stdout + checked.stderr }).toEqual({
        code: 0,
        output: expect.stringContaining(`${rules.length} rules found`),
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('covers rates per relay and output, drops by reason, roles, failovers and lease renewals', () => {
    const exprs = queriesOf(JSON.parse(readFileSync(DASHBOARD, 'utf8')))
      .map((query) => query.expr)
      .join('\n');
    for (const metric of [
      'mcr_relay_packets_received_total',
      'mcr_relay_bytes_received_total',
      'mcr_relay_packets_forwarded_total',
      'mcr_relay_bytes_forwarded_total',
      'mcr_relay_drops_total',
      'mcr_node_role',
      'mcr_failovers_total',
      'mcr_lease_renewals_total',
    ]) {
      expect(exprs).toContain(metric);
    }
    expect(exprs).toMatch(/by \(name, output, destination\)/);
    expect(exprs).toMatch(/by \(name, reason\)/);
  });

  it('the check itself catches a metric mcrd does not export, a label it lacks and a legend label aggregated away', () => {
    const problems = [
      { where: 'a', expr: 'rate(mcr_relay_packets_dropped_total[1m])' },
      { where: 'b', expr: 'sum by (name) (rate(mcr_relay_packets_received_total{iface="x"}[1m]))' },
      {
        where: 'c',
        expr: 'sum by (name) (rate(mcr_relay_packets_forwarded_total[1m]))',
        legendFormat: '{{name}} {{output}}',
      },
    ].flatMap((query) => problemsOf(query, exported));
    expect(problems).toEqual([
      'a: mcrd exports no metric mcr_relay_packets_dropped_total',
      "b: mcr_relay_packets_received_total has no label 'iface'",
      "c: legend prints 'output', which the query aggregates away",
    ]);
  });
});

/** Grafana fills these in before the query reaches Prometheus; promtool needs real values. */
function withGrafanaVariables(expr: string): string {
  return expr.replace(/\$__rate_interval/g, '1m').replace(/\$(instance|relay)\b/g, '.*');
}

async function metricsWith(mcrd: McrdProcess, metric: string, timeoutMs = 15_000): Promise<Exposition> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const exported = parseExposition(await (await mcrd.fetch('/metrics')).text());
    if ((exported.get(metric)?.size ?? 0) > 0) return exported;
    if (Date.now() > deadline) throw new Error(`mcrd /metrics had no ${metric} series within ${timeoutMs} ms`);
    await sleep(200);
  }
}
