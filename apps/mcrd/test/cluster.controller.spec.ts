// HTTP contract of the cluster controls on a single node (file store): validation names the field
// and value, and switchover/maintenance answer 409 because there is no cluster to hand over to.
import request from 'supertest';
import { createTestApp, type TestApp } from './support/test-app';

describe('cluster controls on a single node', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app.close();
  });
  const http = () => request(app.app.getHttpServer());

  it.each([
    ['/api/v1/cluster/switchover', {}, 'to is required'],
    ['/api/v1/cluster/switchover', { to: '../x' }, 'to must be a node id'],
    ['/api/v1/cluster/maintenance', { enabled: 'yes' }, 'enabled must be true or false, got "yes"'],
  ])('POST %s %j is 400 naming the field', async (route, body, message) => {
    const res = await http().post(route).send(body).expect(400);
    expect(res.body.message.join('\n')).toContain(message);
  });

  it.each([
    ['/api/v1/cluster/switchover', { to: 'relay-b' }],
    ['/api/v1/cluster/maintenance', { enabled: true }],
  ])('POST %s is 409 without an HA cluster, and the node stays active', async (route, body) => {
    const res = await http().post(route).send(body).expect(409);
    expect(res.body.message).toContain('needs an HA cluster (MCR_STORE=etcd://...)');
    expect(app.engine.role).toBe('active');
  });
});
