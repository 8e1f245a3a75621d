// HTTP contract of the diagnostics routes: one relay's findings (404 for an unknown id), every
// relay's in one request that reads the host once, and a refused relay named with its reason.
import request from 'supertest';
import { routeViaKey } from '../src/diagnostics/host-facts';
import { createTestApp, type TestApp } from './support/test-app';

const unicast = {
  name: 'to-branch',
  input: { interface: 'eth0', group: '239.1.1.1', port: 5000 },
  outputs: [{ interface: 'eth1', group: '10.1.1.9', port: 6000 }],
};

describe('diagnostics routes', () => {
  let t: TestApp;
  const http = () => request(t.app.getHttpServer());

  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  it("answers one relay's state and findings, and 404 naming an unknown id", async () => {
    const { id } = (await http().post('/api/v1/relays').send(unicast).expect(201)).body;
    t.engine.counters.set(id, { lastPacketAt: Date.now() });
    t.hostFacts.snapshotValue = {
      ...t.hostFacts.snapshotValue,
      routesVia: new Map([[routeViaKey('10.1.1.9', 'eth1'), { device: 'eth1' }]]),
      neighbours: [{ address: '10.1.1.9', device: 'eth1', states: ['FAILED'] }],
    };
    const res = await http().get(`/api/v1/relays/${id}/diagnostics`).expect(200);
    expect(res.body).toEqual({
      id,
      name: 'to-branch',
      state: 'forwarding',
      findings: [
        {
          code: 'output-neighbour-unreachable',
          severity: 'error',
          message: expect.stringContaining('outputs[0]: next hop 10.1.1.9 on eth1 is FAILED'),
          action: expect.stringContaining('10.1.1.9'),
        },
      ],
    });
    const missing = await http().get('/api/v1/relays/nope/diagnostics').expect(404);
    expect(missing.body.message).toContain('nope');
  });

  it('diagnoses every relay from one host snapshot, a refused one with the reason', async () => {
    t.engine.missingInterfaces.add('wg0');
    await http().post('/api/v1/relays').send(unicast).expect(201);
    const refused = { ...unicast, name: 'refused', input: { ...unicast.input, interface: 'wg0', port: 5001 } };
    await http().post('/api/v1/relays').send(refused).expect(201);
    t.hostFacts.queries.length = 0;
    const res = await http().get('/api/v1/diagnostics').expect(200);
    expect(t.hostFacts.queries).toHaveLength(1);
    expect(res.body).toMatchObject({ nodeId: 'test-node', checkedAt: expect.any(String) });
    const byName = new Map(res.body.relays.map((r: { name: string }) => [r.name, r]));
    expect(byName.get('refused')).toMatchObject({
      state: 'failed',
      reason: expect.stringContaining("'wg0': no such interface"),
      findings: expect.arrayContaining([
        expect.objectContaining({ code: 'engine-refused', message: expect.stringContaining("'wg0'") }),
      ]),
    });
    expect(byName.get('to-branch')).toMatchObject({
      state: 'forwarding',
      findings: expect.arrayContaining([expect.objectContaining({ code: 'output-unroutable' })]),
    });
  });
});
