// Bearer-token rules: MCR_API_TOKEN guards mutations, MCR_API_TOKEN_READ guards reads too;
// health and metrics stay open.
import request from 'supertest';
import { createTestApp, type TestApp } from './support/test-app';

const spec = {
  name: 'feed-a',
  input: { interface: 'eth0', group: '239.1.1.1', port: 5000 },
  outputs: [{ interface: 'eth1', group: '239.2.2.2', port: 6000 }],
};

describe('API tokens', () => {
  let t: TestApp;
  const http = () => request(t.app.getHttpServer());
  afterEach(async () => {
    await t.close();
  });

  it('with MCR_API_TOKEN, mutations need the token and reads stay open', async () => {
    t = await createTestApp({ apiToken: 'write-secret' });
    const none = await http().post('/api/v1/relays').send(spec).expect(401);
    expect(none.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
    await http().post('/api/v1/relays').set('Authorization', 'Bearer wrong').send(spec).expect(401);
    await http().post('/api/v1/import').set('Content-Type', 'application/json5').send('{rules: []}').expect(401);
    expect(t.engine.calls).toEqual([]);
    await http().post('/api/v1/relays').set('Authorization', 'Bearer write-secret').send(spec).expect(201);
    await http().get('/api/v1/relays').expect(200);
    await http().get('/readyz').expect(200);
  });

  it('with MCR_API_TOKEN_READ, reads need the read or the write token; health and metrics stay open', async () => {
    t = await createTestApp({ apiToken: 'write-secret', apiTokenRead: 'read-secret' });
    await http().get('/api/v1/relays').expect(401);
    await http().get('/api/v1/cluster').set('Authorization', 'Bearer nope').expect(401);
    await http().get('/api/v1/relays').set('Authorization', 'Bearer read-secret').expect(200);
    await http().get('/api/v1/stats').set('Authorization', 'Bearer write-secret').expect(200);
    await http().post('/api/v1/relays').set('Authorization', 'Bearer read-secret').send(spec).expect(401);
    for (const path of ['/livez', '/readyz', '/healthz', '/healthz/active', '/metrics'])
      await http().get(path).expect(200);
  });
});
