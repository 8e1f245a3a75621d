// /api/v1/querier and /api/v1/membership over HTTP: the querier started from MCR_QUERIER_*,
// the engine's snapshot shaped for the API, the disabled view, and a start-up refusal.
import request from 'supertest';
import type { QuerierSnapshot } from '@mcr/engine';
import { FakeEngine } from './support/fake-engine';
import { createTestApp, type TestApp } from './support/test-app';

const SNAPSHOT: QuerierSnapshot = {
  active: true,
  timers: {
    queryIntervalMs: 30000,
    queryResponseIntervalMs: 10000,
    robustness: 2,
    groupMembershipIntervalMs: 70000,
    otherQuerierPresentIntervalMs: 65000,
    lastMemberQueryTimeMs: 2000,
  },
  interfaces: [
    {
      interface: 'eth1',
      protocol: 'igmp',
      up: true,
      state: 'querier',
      version: 3,
      address: '10.0.1.1',
      otherQuerier: null,
      otherQuerierExpiresInMs: null,
      nextQueryInMs: 12000,
      generalQueriesSent: 4,
      groupQueriesSent: 0,
      reportsReceived: 7,
      queriesReceived: 0,
      groups: [
        {
          group: '239.1.1.1',
          mode: 'exclude',
          expiresInMs: 68000,
          compatibilityVersion: 3,
          lastReporter: '10.0.1.20',
          sources: [],
          excludedSources: [],
        },
      ],
    },
  ],
};

describe('querier routes', () => {
  let t: TestApp;
  afterEach(async () => t.close());

  it('starts the querier with the configured interfaces and serves its state and membership', async () => {
    const engine = new FakeEngine();
    engine.querierSnapshot = SNAPSHOT;
    t = await createTestApp({ querier: { interfaces: ['eth1'], intervalS: 30 } }, engine);
    expect(engine.querierOptions).toEqual({ interfaces: ['eth1'], intervalS: 30 });
    const querier = await request(t.app.getHttpServer()).get('/api/v1/querier').expect(200);
    expect(querier.body).toEqual({
      enabled: true,
      active: true,
      configuredInterfaces: ['eth1'],
      timers: SNAPSHOT.timers,
      interfaces: [expect.objectContaining({ interface: 'eth1', state: 'querier', generalQueriesSent: 4 })],
    });
    expect(querier.body.interfaces[0]).not.toHaveProperty('groups');
    const membership = await request(t.app.getHttpServer()).get('/api/v1/membership').expect(200);
    expect(membership.body).toEqual({
      enabled: true,
      interfaces: [{ interface: 'eth1', protocol: 'igmp', groups: SNAPSHOT.interfaces[0].groups }],
    });
  });

  it('says the querier is off, with the timers it would use, when no interface is configured', async () => {
    t = await createTestApp();
    expect(t.engine.querierOptions).toBeUndefined();
    const querier = await request(t.app.getHttpServer()).get('/api/v1/querier').expect(200);
    expect(querier.body).toMatchObject({ enabled: false, active: false, configuredInterfaces: [], interfaces: [] });
    expect(querier.body.timers).toEqual({
      queryIntervalMs: 125000,
      queryResponseIntervalMs: 10000,
      robustness: 2,
      groupMembershipIntervalMs: 260000,
      otherQuerierPresentIntervalMs: 255000,
      lastMemberQueryTimeMs: 2000,
    });
    await request(t.app.getHttpServer()).get('/api/v1/membership').expect(200, { enabled: false, interfaces: [] });
  });

  it('stops start-up naming MCR_QUERIER_INTERFACES when the engine refuses the querier', async () => {
    const engine = new FakeEngine();
    engine.querierFailure = new Error('querierInterfaces: cannot open a packet socket (Operation not permitted)');
    await expect(createTestApp({ querier: { interfaces: ['eth1'], intervalS: 125 } }, engine)).rejects.toThrow(
      /MCR_QUERIER_INTERFACES \(eth1\): querierInterfaces: cannot open a packet socket/,
    );
  });
});

describe('querier metrics', () => {
  it('exports the election state, queries, reports and group count per interface', async () => {
    const engine = new FakeEngine();
    engine.querierSnapshot = SNAPSHOT;
    const t = await createTestApp({ querier: { interfaces: ['eth1'], intervalS: 30 } }, engine);
    try {
      const metrics = (await request(t.app.getHttpServer()).get('/metrics').expect(200)).text;
      expect(metrics).toContain('mcr_querier_is_querier{interface="eth1",protocol="igmp"} 1');
      expect(metrics).toContain('mcr_querier_queries_sent_total{interface="eth1",protocol="igmp",kind="general"} 4');
      expect(metrics).toContain('mcr_querier_reports_received_total{interface="eth1",protocol="igmp"} 7');
      expect(metrics).toContain('mcr_membership_groups{interface="eth1",protocol="igmp"} 1');
    } finally {
      await t.close();
    }
  });
});

describe('on-demand outputs', () => {
  const onDemandRelay = {
    name: 'feed-od',
    input: { interface: 'eth0', group: '239.1.1.1', port: 5000 },
    outputs: [{ interface: 'eth1', group: '239.2.2.2', port: 6000, onDemand: true }],
  };

  it('are stored and handed to the engine when the querier serves their interface', async () => {
    const t = await createTestApp({ querier: { interfaces: ['eth1'], intervalS: 125 } });
    try {
      const res = await request(t.app.getHttpServer()).post('/api/v1/relays').send(onDemandRelay).expect(201);
      expect(res.body.outputs[0]).toMatchObject({ onDemand: true });
      expect([...t.engine.relays.values()][0].outputs[0]).toMatchObject({ onDemand: true });
    } finally {
      await t.close();
    }
  });

  it('are refused with 422 naming the output when no querier serves the interface', async () => {
    const t = await createTestApp();
    try {
      const res = await request(t.app.getHttpServer()).post('/api/v1/relays').send(onDemandRelay).expect(422);
      expect(res.body.message).toEqual([
        "outputs[0].onDemand needs the querier on 'eth1' (add it to MCR_QUERIER_INTERFACES)",
      ]);
      expect(t.engine.relays.size).toBe(0);
    } finally {
      await t.close();
    }
  });
});
