// HTTP contract of /api/v1/relays: statuses, bodies, headers, and that a refused request leaves
// the store (the file on disk) and the engine untouched.
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { createTestApp, type TestApp } from './support/test-app';

const relay = (name: string, port = 5000, overrides: Record<string, unknown> = {}) => ({
  name,
  input: { interface: 'eth0', group: '239.1.1.1', port },
  outputs: [{ interface: 'eth1', group: '239.2.2.2', port: 6000 + port - 5000 }],
  ...overrides,
});

describe('/api/v1/relays', () => {
  let t: TestApp;
  const http = () => request(t.app.getHttpServer());
  const storeText = () => readFileSync(t.storePath, 'utf8');

  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  it('creates a relay: 201, Location, ETag, defaults applied, running in the engine', async () => {
    const res = await http().post('/api/v1/relays').send(relay('feed-a')).expect(201);
    expect(res.body).toMatchObject({
      name: 'feed-a',
      enabled: true,
      revision: expect.any(Number),
      input: { interface: 'eth0', group: '239.1.1.1', port: 5000 },
      outputs: [{ interface: 'eth1', group: '239.2.2.2', port: 6000, ttl: 1, dscp: 0 }],
    });
    expect(res.headers.location).toBe(`/api/v1/relays/${res.body.id}`);
    expect(res.headers.etag).toBe(`"${res.body.revision}"`);
    expect(t.engine.relays.get(res.body.id)).toMatchObject({ id: res.body.id, name: 'feed-a' });
    const got = await http().get(res.headers.location).expect(200);
    expect(got.body).toEqual(res.body);
    expect(got.headers.etag).toBe(res.headers.etag);
    const list = await http().get('/api/v1/relays').expect(200);
    expect(list.body).toEqual([res.body]);
  });

  it.each([
    [{ ...relay('x'), outputs: [{ interface: 'eth1', group: '239.2.2.2', port: 70000 }] }, 'outputs[0].port', '70000'],
    [{ ...relay('x'), input: { interface: 'eth0', group: '239.1.1.1', port: 'abc' } }, 'input.port', '"abc"'],
    [{ ...relay('x'), input: { interface: 'eth0', group: '239.1.1', port: 5000 } }, 'input.group', '239.1.1'],
    [{ ...relay('x'), extra: 1 }, 'extra', 'not a known field'],
    [
      { ...relay('x'), input: { interface: 'eth0', group: '239.1.1.1', port: 5000, foo: 'bar' } },
      'input.foo',
      'not a known field',
    ],
    [{ ...relay('x'), outputs: [] }, 'outputs', '[]'],
    [
      { ...relay('x'), outputs: [{ interface: 'eth1', group: '239.2.2.2', port: 6000, ttl: 'often' }] },
      'outputs[0].ttl',
      '"often"',
    ],
    [{ input: relay('x').input, outputs: relay('x').outputs }, 'name', 'name is required'],
  ])('refuses an invalid relay with 400 naming the field and value (%#)', async (body, field, value) => {
    const before = storeText.length;
    const res = await http().post('/api/v1/relays').send(body).expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    const text = ([] as string[]).concat(res.body.message).join('\n');
    expect(text).toContain(field);
    expect(text).toContain(value);
    expect((await http().get('/api/v1/relays')).body).toEqual([]);
    expect(storeText.length).toBe(before);
    expect(t.engine.calls).toEqual([]);
  });

  it('creates a relay with a preferredNode and reads it back; a bad one is a 400 naming the field', async () => {
    const res = await http()
      .post('/api/v1/relays')
      .send(relay('feed-a', 5000, { preferredNode: 'mcr-b' }))
      .expect(201);
    expect(res.body.preferredNode).toBe('mcr-b');
    expect((await http().get(`/api/v1/relays/${res.body.id}`).expect(200)).body.preferredNode).toBe('mcr-b');
    const bad = await http()
      .post('/api/v1/relays')
      .send(relay('feed-b', 5001, { preferredNode: '../b' }))
      .expect(400);
    expect(JSON.stringify(bad.body.message)).toContain('preferredNode must be 1..63 characters');
  });

  it('answers 400 for malformed JSON and 413 for an oversized body', async () => {
    const bad = await http()
      .post('/api/v1/relays')
      .set('Content-Type', 'application/json')
      .send('{"name":')
      .expect(400);
    expect(bad.body.message).toMatch(/not valid JSON/);
    const huge = await http()
      .post('/api/v1/relays')
      .send({ ...relay('big'), pad: 'x'.repeat(5 * 1024 * 1024) })
      .expect(413);
    expect(huge.body).toMatchObject({ statusCode: 413, error: 'Payload Too Large' });
    expect((await http().get('/api/v1/relays')).body).toEqual([]);
  });

  it('answers 409 for a name or an ingress already used, leaving the store unchanged', async () => {
    await http().post('/api/v1/relays').send(relay('feed-a')).expect(201);
    const stored = storeText();
    const sameName = await http().post('/api/v1/relays').send(relay('feed-a', 5001)).expect(409);
    expect(sameName.body.message).toMatch(/feed-a/);
    const sameIngress = await http().post('/api/v1/relays').send(relay('feed-b')).expect(409);
    expect(sameIngress.body).toMatchObject({ statusCode: 409, error: 'Conflict' });
    expect(storeText()).toBe(stored);
    expect(t.engine.relays.size).toBe(1);
  });

  it("answers 422 when an output equals its own or another relay's ingress", async () => {
    await http().post('/api/v1/relays').send(relay('feed-a')).expect(201);
    const own = await http()
      .post('/api/v1/relays')
      .send(relay('self', 5001, { outputs: [{ interface: 'eth0', group: '239.1.1.1', port: 5001 }] }))
      .expect(422);
    expect(own.body.message.join()).toMatch(/outputs\[0\].*own ingress/);
    const other = await http()
      .post('/api/v1/relays')
      .send(relay('other', 5002, { outputs: [{ interface: 'eth0', group: '239.1.1.1', port: 5000 }] }))
      .expect(422);
    expect(other.body.message.join()).toMatch(/outputs\[0\].*feed-a/);
    expect((await http().get('/api/v1/relays')).body).toHaveLength(1);
  });

  describe('redundancy (a B leg)', () => {
    const legB = (port: number, overrides: Record<string, unknown> = {}) => ({
      redundancy: { input: { interface: 'eth2', group: '239.1.2.1', port }, mode: 'merge', ...overrides },
    });

    it('stores the B leg with its defaults and hands it to the engine', async () => {
      const res = await http()
        .post('/api/v1/relays')
        .send(relay('feed-ab', 5000, legB(5000)))
        .expect(201);
      expect(res.body.redundancy).toEqual({
        input: { interface: 'eth2', group: '239.1.2.1', port: 5000 },
        mode: 'merge',
        key: 'rtp',
        windowMs: 50,
        lossMs: 100,
        revertMs: 0,
      });
      expect(t.engine.relays.get(res.body.id)?.redundancy).toEqual(res.body.redundancy);
    });

    it.each([
      [{ windowMs: 0 }, 'redundancy.windowMs must not be less than 1'],
      [{ windowMs: 1001 }, 'redundancy.windowMs must not be greater than 1000'],
      [{ mode: 'both' }, 'redundancy.mode'],
      [{ key: 'crc' }, 'redundancy.key'],
    ])('answers 400 naming the field for %j', async (overrides, message) => {
      const res = await http()
        .post('/api/v1/relays')
        .send(relay('x', 5000, legB(5000, overrides)))
        .expect(400);
      expect(res.body.message.join()).toContain(message);
      expect((await http().get('/api/v1/relays')).body).toEqual([]);
    });

    it('answers 422 for a B leg equal to the input', async () => {
      const same = { redundancy: { input: { interface: 'eth0', group: '239.1.1.1', port: 5000 }, mode: 'merge' } };
      const res = await http()
        .post('/api/v1/relays')
        .send(relay('x', 5000, same))
        .expect(422);
      expect(res.body.message.join()).toMatch(/^redundancy\.input .*must be a different ingress than input/);
      expect((await http().get('/api/v1/relays')).body).toEqual([]);
    });

    it("answers 409 naming redundancy.input for a B leg that is another relay's ingress, either leg", async () => {
      await http()
        .post('/api/v1/relays')
        .send(relay('feed-ab', 5000, legB(5000)))
        .expect(201);
      const stored = storeText();
      const onInput = { redundancy: { input: { interface: 'eth0', group: '239.1.1.1', port: 5000 }, mode: 'merge' } };
      const clashA = await http()
        .post('/api/v1/relays')
        .send(relay('x', 5001, onInput))
        .expect(409);
      expect(clashA.body.message).toMatch(
        /^redundancy\.input: ingress eth0 239\.1\.1\.1:5000 is already used by relay 'feed-ab'/,
      );
      const clashB = await http()
        .post('/api/v1/relays')
        .send(relay('y', 5001, legB(5000)))
        .expect(409);
      expect(clashB.body.message).toMatch(/^redundancy\.input: ingress eth2 239\.1\.2\.1:5000 is already used/);
      const inputOnB = await http()
        .post('/api/v1/relays')
        .send(relay('z', 5000, { input: { interface: 'eth2', group: '239.1.2.1', port: 5000 } }))
        .expect(409);
      expect(inputOnB.body.message).toMatch(/^ingress eth2 239\.1\.2\.1:5000 is already used by relay 'feed-ab'/);
      expect(storeText()).toBe(stored);
    });

    it("answers 422 for an output that is a relay's B leg", async () => {
      await http()
        .post('/api/v1/relays')
        .send(relay('feed-ab', 5000, legB(5000)))
        .expect(201);
      const res = await http()
        .post('/api/v1/relays')
        .send(relay('loop', 5001, { outputs: [{ interface: 'eth2', group: '239.1.2.1', port: 5000 }] }))
        .expect(422);
      expect(res.body.message.join()).toMatch(/outputs\[0\].*feed-ab/);
    });
  });

  it('refuses an interface that does not exist on this host (file store) with 400', async () => {
    const res = await http()
      .post('/api/v1/relays')
      .send(relay('x', 5000, { input: { interface: 'eth9', group: '239.1.1.1', port: 5000 } }))
      .expect(400);
    expect(res.body.message).toEqual(["input.interface 'eth9' does not exist on this host"]);
    expect(t.engine.calls).toEqual([]);
  });

  it('answers 404 for any unknown id, whatever its form', async () => {
    for (const id of ['nope', '..%2F..%2Fetc%2Fpasswd', 'x'.repeat(5000), '%00', '%E2%9C%93']) {
      const res = await http().get(`/api/v1/relays/${id}`).expect(404);
      expect(res.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
      await http().get(`/api/v1/relays/${id}/stats`).expect(404);
      await http().delete(`/api/v1/relays/${id}`).expect(404);
      await http().put(`/api/v1/relays/${id}`).send(relay('y')).expect(404);
    }
  });

  it('replaces with If-Match or a body revision; 412 when stale, 400 for a different body id', async () => {
    const created = (await http().post('/api/v1/relays').send(relay('feed-a')).expect(201)).body;
    const changed = { ...relay('feed-a'), outputs: [{ interface: 'eth2', group: '239.2.2.3', port: 6001, dscp: 46 }] };
    const stale = await http()
      .put(`/api/v1/relays/${created.id}`)
      .set('If-Match', `"${created.revision + 5}"`)
      .send(changed)
      .expect(412);
    expect(stale.body).toMatchObject({ statusCode: 412, error: 'Precondition Failed' });
    await http()
      .put(`/api/v1/relays/${created.id}`)
      .send({ ...changed, revision: created.revision + 5 })
      .expect(412);
    const wrongId = await http()
      .put(`/api/v1/relays/${created.id}`)
      .send({ ...changed, id: 'other' })
      .expect(400);
    expect(wrongId.body.message.join()).toMatch(/'other'/);
    const ok = await http()
      .put(`/api/v1/relays/${created.id}`)
      .set('If-Match', `"${created.revision}"`)
      .send({ ...changed, id: created.id, revision: created.revision })
      .expect(200);
    expect(ok.body.revision).toBeGreaterThan(created.revision);
    expect(ok.headers.etag).toBe(`"${ok.body.revision}"`);
    expect(t.engine.relays.get(created.id)?.outputs[0]).toMatchObject({ interface: 'eth2', dscp: 46 });
    expect(t.engine.calls).toEqual(['add', 'update']);
  });

  it('deletes: 204, then 404, and the engine stops the relay', async () => {
    const created = (await http().post('/api/v1/relays').send(relay('feed-a')).expect(201)).body;
    await http().delete(`/api/v1/relays/${created.id}`).set('If-Match', '"999"').expect(412);
    await http().delete(`/api/v1/relays/${created.id}`).expect(204);
    await http().get(`/api/v1/relays/${created.id}`).expect(404);
    expect(t.engine.relays.size).toBe(0);
  });

  it('reports an engine refusal as state failed with the reason, and never runs a stale config', async () => {
    const created = (await http().post('/api/v1/relays').send(relay('feed-a')).expect(201)).body;
    t.engine.missingInterfaces.add('eth2');
    await http()
      .put(`/api/v1/relays/${created.id}`)
      .send({ ...relay('feed-a'), outputs: [{ interface: 'eth2', group: '239.2.2.3', port: 6001 }] })
      .expect(200);
    const stats = await http().get(`/api/v1/relays/${created.id}/stats`).expect(200);
    expect(stats.body).toMatchObject({ state: 'failed', reason: expect.stringContaining("'eth2'") });
    expect(t.engine.relays.has(created.id)).toBe(false);
  });
});
