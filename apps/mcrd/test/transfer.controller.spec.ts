// Import/export of rules files: all or nothing, errors naming rule and field, merge vs replace,
// and export -> import round-trips exactly.
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { createTestApp, type TestApp } from './support/test-app';

const RULES = `// two feeds
{
  rules: [
    { name: 'feed-a', input: { interface: 'eth0', group: '239.1.1.1', port: 5000 },
      outputs: [ { interface: 'eth1', group: '239.2.2.2', port: 6000, ttl: 16 } ] },
    { name: 'feed-b', input: { interface: 'eth0', group: '239.1.1.2', port: 5000, sources: ['10.0.0.5'] },
      outputs: [ { interface: 'eth1', group: '239.2.2.3', port: 6000, dscp: 46 }, { interface: 'wg0', group: '10.100.0.2', port: 6000 } ] },
  ],
}`;

describe('/api/v1/import and /api/v1/export', () => {
  let t: TestApp;
  const http = () => request(t.app.getHttpServer());
  const names = async () => ((await http().get('/api/v1/relays')).body as { name: string }[]).map((r) => r.name).sort();

  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  it('imports JSON5 (201), then the same file again changes nothing (200)', async () => {
    const first = await http().post('/api/v1/import').set('Content-Type', 'application/json5').send(RULES).expect(201);
    expect(first.body.created.map((r: { name: string }) => r.name)).toEqual(['feed-a', 'feed-b']);
    expect(first.body.created.every((r: { id: string }) => r.id.length > 0)).toBe(true);
    expect(t.engine.relays.size).toBe(2);
    const again = await http().post('/api/v1/import').set('Content-Type', 'text/plain').send(RULES).expect(200);
    expect(again.body).toMatchObject({ created: [], replaced: [], deleted: [] });
    expect(again.body.unchanged).toHaveLength(2);
  });

  it('export -> import (replace) round-trips exactly, also as application/json', async () => {
    await http().post('/api/v1/import').set('Content-Type', 'application/json5').send(RULES).expect(201);
    const exported = await http().get('/api/v1/export').expect(200);
    expect(exported.headers['content-type']).toMatch(/application\/json/);
    await http()
      .post('/api/v1/import?mode=replace')
      .set('Content-Type', 'application/json')
      .send(exported.text)
      .expect(200);
    expect((await http().get('/api/v1/export')).text).toBe(exported.text);
  });

  it('mode=replace deletes relays the file does not name; merge keeps them', async () => {
    await http()
      .post('/api/v1/relays')
      .send({
        name: 'keep-me',
        input: { interface: 'eth2', group: '239.9.9.9', port: 9000 },
        outputs: [{ interface: 'eth1', group: '239.8.8.8', port: 9000 }],
      })
      .expect(201);
    await http().post('/api/v1/import').set('Content-Type', 'application/json5').send(RULES).expect(201);
    expect(await names()).toEqual(['feed-a', 'feed-b', 'keep-me']);
    const res = await http()
      .post('/api/v1/import?mode=replace')
      .set('Content-Type', 'application/json5')
      .send(RULES)
      .expect(200);
    expect(res.body.deleted.map((r: { name: string }) => r.name)).toEqual(['keep-me']);
    expect(await names()).toEqual(['feed-a', 'feed-b']);
    expect(t.engine.relays.size).toBe(2);
  });

  it('refuses the whole file when one rule is bad, naming the rule and the field', async () => {
    await http().post('/api/v1/import').set('Content-Type', 'application/json5').send(RULES).expect(201);
    const stored = readFileSync(t.storePath, 'utf8');
    const bad = RULES.replace("name: 'feed-a'", "name: 'feed-a2'").replace(
      "group: '239.2.2.3', port: 6000",
      "group: '239.2.2.3', port: 99999",
    );
    const res = await http()
      .post('/api/v1/import?mode=replace')
      .set('Content-Type', 'application/json5')
      .send(bad)
      .expect(400);
    expect(res.body.message.join('\n')).toMatch(/rules\[1\] \(feed-b\).*outputs\[0\]\.port.*99999/);
    const loop = RULES.replace(
      "outputs: [ { interface: 'eth1', group: '239.2.2.2', port: 6000, ttl: 16 } ]",
      "outputs: [ { interface: 'eth0', group: '239.1.1.2', port: 5000 } ]",
    );
    const looped = await http().post('/api/v1/import').set('Content-Type', 'application/json5').send(loop).expect(422);
    expect(looped.body.message.join('\n')).toMatch(/rules\[0\] \(feed-a\): outputs\[0\]/);
    await http().post('/api/v1/import?mode=sideways').set('Content-Type', 'application/json5').send(RULES).expect(400);
    await http().post('/api/v1/import').set('Content-Type', 'application/json5').send('{ rules: [ }').expect(400);
    expect(readFileSync(t.storePath, 'utf8')).toBe(stored);
  });

  describe('dryRun=true', () => {
    const changed = RULES.replace('port: 6000, ttl: 16', 'port: 6001, ttl: 16').replace(
      "name: 'feed-b'",
      "name: 'feed-c'",
    );

    it('answers the plan (with each change) and writes nothing: store file and engine unchanged', async () => {
      const first = await http()
        .post('/api/v1/import')
        .set('Content-Type', 'application/json5')
        .send(RULES)
        .expect(201);
      const [a, b] = first.body.created as { id: string; name: string }[];
      const stored = readFileSync(t.storePath, 'utf8');
      const calls = t.engine.calls.length;
      const plan = await http()
        .post('/api/v1/import?mode=replace&dryRun=true')
        .set('Content-Type', 'application/json5')
        .send(changed)
        .expect(200);
      expect(plan.body).toEqual({
        dryRun: true,
        created: [{ name: 'feed-c' }],
        replaced: [{ id: a.id, name: 'feed-a', changes: ['outputs[0].port: 6000 -> 6001'] }],
        deleted: [{ id: b.id, name: 'feed-b' }],
        unchanged: [],
      });
      expect(readFileSync(t.storePath, 'utf8')).toBe(stored);
      expect(t.engine.calls.length).toBe(calls);
    });

    it('fails where the import would (400 naming the rule), and refuses a bad dryRun value', async () => {
      const bad = RULES.replace('port: 6000, ttl: 16', 'port: 70000, ttl: 16');
      const res = await http().post('/api/v1/import?dryRun=true').set('Content-Type', 'application/json5').send(bad);
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.message)).toMatch(/rules\[0\] \(feed-a\): outputs\[0\]\.port/);
      const value = await http().post('/api/v1/import?dryRun=yes').set('Content-Type', 'application/json5').send(RULES);
      expect(value.status).toBe(400);
      expect(value.body.message).toEqual(["dryRun must be true or false, got 'yes'"]);
    });
  });

  it('a re-imported relay keeps its id, so its metric labels stay the same', async () => {
    const first = await http().post('/api/v1/import').set('Content-Type', 'application/json5').send(RULES).expect(201);
    const changed = RULES.replace('port: 6000, ttl: 16', 'port: 6001, ttl: 16');
    const second = await http()
      .post('/api/v1/import?mode=replace')
      .set('Content-Type', 'application/json5')
      .send(changed)
      .expect(200);
    expect(second.body.replaced).toEqual([
      { id: first.body.created[0].id, name: 'feed-a', changes: ['outputs[0].port: 6000 -> 6001'] },
    ]);
    const ids = ((await http().get('/api/v1/relays')).body as { id: string }[]).map((r) => r.id).sort();
    expect(ids).toEqual(first.body.created.map((r: { id: string }) => r.id).sort());
  });
});
