// HTTP contract of PATCH /api/v1/relays/{id} (JSON merge patch), of the ?name= filter and of the
// 404 that names a relay whose name was given as its id: statuses, bodies, ETags, and that a
// refused patch leaves the store file and the engine untouched.
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { createTestApp, type TestApp } from './support/test-app';

const MERGE_PATCH = 'application/merge-patch+json';

const relay = (name: string, port = 5000) => ({
  name,
  input: { interface: 'eth0', group: '239.1.1.1', port, sources: ['10.0.0.5'] },
  outputs: [{ interface: 'eth1', group: '239.2.2.2', port: 6000 + port - 5000, ttl: 16 }],
});

describe('PATCH /api/v1/relays/{id}', () => {
  let t: TestApp;
  let created: { id: string; revision: number; name: string };
  const http = () => request(t.app.getHttpServer());
  const storeText = () => readFileSync(t.storePath, 'utf8');
  const patch = (body: unknown, type = MERGE_PATCH, id = created.id) =>
    http().patch(`/api/v1/relays/${id}`).set('Content-Type', type).send(JSON.stringify(body));

  beforeEach(async () => {
    t = await createTestApp();
    created = (await http().post('/api/v1/relays').send(relay('feed-a')).expect(201)).body;
  });
  afterEach(async () => {
    await t.close();
  });

  it('changes only the named members, answers the relay with its new ETag, and the engine follows', async () => {
    const res = await patch({ enabled: false, input: { port: 5100 } }).expect(200);
    expect(res.body).toMatchObject({
      id: created.id,
      name: 'feed-a',
      enabled: false,
      input: { interface: 'eth0', group: '239.1.1.1', port: 5100, sources: ['10.0.0.5'] },
      outputs: [{ interface: 'eth1', group: '239.2.2.2', port: 6000, ttl: 16 }],
    });
    expect(res.body.revision).toBeGreaterThan(created.revision);
    expect(res.headers.etag).toBe(`"${res.body.revision}"`);
    expect(t.engine.relays.get(created.id)).toMatchObject({ enabled: false, input: { port: 5100 } });
    expect((await http().get(`/api/v1/relays/${created.id}`).expect(200)).body).toEqual(res.body);
  });

  it('null removes a member (its default applies); arrays are replaced whole', async () => {
    await patch({ enabled: false }).expect(200);
    const res = await patch({
      enabled: null,
      input: { sources: null },
      outputs: [{ interface: 'eth2', group: '239.3.3.3', port: 7000 }],
    }).expect(200);
    expect(res.body.enabled).toBe(true);
    expect(res.body.input).toEqual({ interface: 'eth0', group: '239.1.1.1', port: 5000 });
    expect(res.body.outputs).toEqual([{ interface: 'eth2', group: '239.3.3.3', port: 7000, ttl: 1, dscp: 0 }]);
  });

  it('sets and removes preferredNode (null), stores it, and the engine spec never carries it', async () => {
    const set = await patch({ preferredNode: 'mcr-b' }).expect(200);
    expect(set.body.preferredNode).toBe('mcr-b');
    expect(JSON.parse(storeText()).relays[0].preferredNode).toBe('mcr-b');
    expect(t.engine.relays.get(created.id)).not.toHaveProperty('preferredNode');
    const removed = await patch({ preferredNode: null }).expect(200);
    expect(removed.body).not.toHaveProperty('preferredNode');
  });

  it('hands analyze to the engine and null restores the default there too', async () => {
    await patch({ analyze: 'off' }).expect(200);
    expect(t.engine.relays.get(created.id)).toMatchObject({ analyze: 'off' });
    const restored = await patch({ analyze: null }).expect(200);
    expect(restored.body).not.toHaveProperty('analyze');
    expect(t.engine.relays.get(created.id)).not.toHaveProperty('analyze');
  });

  it('refuses a preferredNode that cannot be a node id, naming the field; nothing changes', async () => {
    const before = storeText();
    const res = await patch({ preferredNode: 'mcr b' }).expect(400);
    expect(JSON.stringify(res.body.message)).toContain('preferredNode must be 1..63 characters');
    expect(storeText()).toBe(before);
  });

  it('reads application/json as a merge patch too; refuses JSON Patch (415)', async () => {
    await patch({ enabled: false }, 'application/json').expect(200);
    const refused = await patch([{ op: 'replace', path: '/enabled', value: true }], 'application/json-patch+json');
    expect(refused.status).toBe(415);
    expect(refused.body.message).toMatch(/application\/merge-patch\+json or application\/json/);
  });

  it.each([
    [{ input: { port: 70000 } }, /input\.port .*70000/],
    [{ outputs: [] }, /outputs/],
    [{ name: null }, /name is required/],
    [{ input: { foo: 1 } }, /input\.foo is not a known field/],
    [{ color: 'red' }, /color is not a known field/],
    [{ id: 'another-id' }, /id is read-only/],
    [{ revision: 'seven' }, /revision must be/],
    [[{ enabled: false }], /must be a JSON object/],
  ])('refuses %j with 400 naming the field, and changes nothing', async (body, message) => {
    const before = storeText();
    const res = await patch(body).expect(400);
    expect(JSON.stringify(res.body.message)).toMatch(message);
    expect(storeText()).toBe(before);
    expect(t.engine.relays.get(created.id)).toMatchObject({ enabled: true, input: { port: 5000 } });
  });

  it('accepts the id and revision echoed back from GET', async () => {
    const got = (await http().get(`/api/v1/relays/${created.id}`).expect(200)).body;
    const res = await patch({ ...got, name: 'feed-renamed' }).expect(200);
    expect(res.body.name).toBe('feed-renamed');
  });

  it('honours If-Match and a body revision: 412 when stale, nothing changes', async () => {
    const stale = `"${created.revision}"`;
    const fresh = (await patch({ enabled: false }, MERGE_PATCH).set('If-Match', stale).expect(200)).body;
    const before = storeText();
    const refused = await patch({ enabled: true }).set('If-Match', stale).expect(412);
    expect(refused.body.message).toMatch(/revision/);
    await patch({ enabled: true, revision: created.revision }).expect(412);
    expect(storeText()).toBe(before);
    await patch({ enabled: true }).set('If-Match', `"${fresh.revision}"`).expect(200);
  });

  it('answers 409 for a name another relay has and 404 for an unknown id', async () => {
    await http().post('/api/v1/relays').send(relay('feed-b', 5001)).expect(201);
    const before = storeText();
    const conflict = await patch({ name: 'feed-b' }).expect(409);
    expect(conflict.body.message).toMatch(/feed-b/);
    expect(storeText()).toBe(before);
    const missing = await patch({ enabled: false }, MERGE_PATCH, 'no-such-id').expect(404);
    expect(missing.body.message).toMatch(/no-such-id/);
  });
});

describe('finding relays by name', () => {
  let t: TestApp;
  const http = () => request(t.app.getHttpServer());

  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  it('GET /api/v1/relays?name= answers the one relay with that name, or []', async () => {
    const c1 = (await http().post('/api/v1/relays').send(relay('c1')).expect(201)).body;
    await http().post('/api/v1/relays').send(relay('c2', 5001)).expect(201);
    expect((await http().get('/api/v1/relays?name=c1').expect(200)).body).toEqual([c1]);
    expect((await http().get('/api/v1/relays?name=c3').expect(200)).body).toEqual([]);
    const twice = await http().get('/api/v1/relays?name=c1&name=c2').expect(400);
    expect(twice.body.message).toEqual(['name must be given once, got 2 values']);
  });

  it('a 404 for an id that is a relay name says so and gives the id', async () => {
    const c1 = (await http().post('/api/v1/relays').send(relay('c1')).expect(201)).body;
    for (const path of ['/api/v1/relays/c1', '/api/v1/relays/c1/stats']) {
      const res = await http().get(path).expect(404);
      expect(res.body.message).toContain(`no relay has the id 'c1'; a relay named 'c1' exists with the id '${c1.id}'`);
    }
    expect((await http().get('/api/v1/relays/c9').expect(404)).body.message).toBe("relay 'c9' not found");
    expect((await http().delete('/api/v1/relays/c1').expect(404)).body.message).toContain(c1.id);
  });
});
