// The bad inputs of apps/mcrd/README.md "Bad input": each answers a 4xx that names what was wrong,
// and leaves the store (the file on disk) byte-identical and the engine untouched.
import { existsSync, readFileSync } from 'node:fs';
import request from 'supertest';
import { createTestApp, type TestApp } from './support/test-app';

const relay = (name: string, input: Record<string, unknown> = {}, output: Record<string, unknown> = {}) => ({
  name,
  input: { interface: 'eth0', group: '239.1.1.1', port: 5000, ...input },
  outputs: [{ interface: 'eth1', group: '239.2.2.2', port: 6000, ...output }],
});
const DEPTH_MESSAGE = 'must be nested at most 32 levels deep (objects and arrays)';
const deepArrays = `${'['.repeat(3000)}${']'.repeat(3000)}`;

describe('bad input', () => {
  let t: TestApp;
  let seeded: { id: string; revision: number };
  const http = () => request(t.app.getHttpServer());
  const storeText = () => (existsSync(t.storePath) ? readFileSync(t.storePath, 'utf8') : '');

  beforeEach(async () => {
    t = await createTestApp();
    seeded = (await http().post('/api/v1/relays').send(relay('seed')).expect(201)).body;
  });
  afterEach(async () => {
    await t.close();
  });

  /** Runs `send` and checks that neither the store file nor the engine changed. */
  async function unchanged(send: () => Promise<request.Response>): Promise<request.Response> {
    const before = storeText();
    const calls = t.engine.calls.length;
    const res = await send();
    expect(storeText()).toBe(before);
    expect(t.engine.calls.length).toBe(calls);
    return res;
  }

  describe('deeply nested JSON is 400 with the depth limit, on every body route', () => {
    it.each([
      ['POST', '/api/v1/relays', 'application/json', deepArrays],
      ['POST', '/api/v1/relays', 'application/json', `{"name":"x","input":${deepArrays}}`],
      ['PUT', '/api/v1/relays/{id}', 'application/json', deepArrays],
      ['PATCH', '/api/v1/relays/{id}', 'application/merge-patch+json', `{"input":${deepArrays}}`],
      ['POST', '/api/v1/import', 'application/json', `{"rules":${deepArrays}}`],
      ['POST', '/api/v1/cluster/switchover', 'application/json', `{"to":${deepArrays}}`],
      ['POST', '/api/v1/cluster/maintenance', 'application/json', deepArrays],
    ])('%s %s (%s)', async (method, route, type, body) => {
      const path = route.replace('{id}', seeded.id);
      const res = await unchanged(() =>
        http()[method.toLowerCase() as 'put' | 'patch' | 'post'](path).set('Content-Type', type).send(body).expect(400),
      );
      expect(res.body).toEqual({ statusCode: 400, error: 'Bad Request', message: [`request body ${DEPTH_MESSAGE}`] });
    });

    it.each(['application/json5', 'text/plain'])('POST /api/v1/import as %s text', async (type) => {
      const res = await unchanged(() =>
        http().post('/api/v1/import').set('Content-Type', type).send(`{ rules: ${deepArrays} }`).expect(400),
      );
      expect(res.body.message).toEqual([`rules file ${DEPTH_MESSAGE}`]);
    });
  });

  describe('IPv4-mapped IPv6 addresses are the IPv4 address they map', () => {
    it.each(['::ffff:239.1.1.1', '::FFFF:ef01:101'])('%s is the ingress of seed: 409', async (group) => {
      const res = await unchanged(() => http().post('/api/v1/relays').send(relay('copy', { group })).expect(409));
      expect(res.body.message).toMatch(/seed/);
    });

    it('an output equal to the ingress in the other spelling loops: 422', async () => {
      const own = relay(
        'self',
        { group: '::ffff:239.9.9.9', port: 7000 },
        { interface: 'eth0', group: '239.9.9.9', port: 7000 },
      );
      await unchanged(() => http().post('/api/v1/relays').send(own).expect(422));
      const other = relay('other', { port: 7001 }, { interface: 'eth0', group: '::ffff:239.1.1.1', port: 5000 });
      const res = await unchanged(() => http().post('/api/v1/relays').send(other).expect(422));
      expect(res.body.message.join()).toMatch(/ingress of relay 'seed'/);
    });

    it.each([
      ['::ffff:255.255.255.255', 'broadcast'],
      ['::ffff:0.0.0.0', 'unspecified'],
    ])('%s is refused as the %s address: 400', async (group, what) => {
      const res = await unchanged(() =>
        http()
          .post('/api/v1/relays')
          .send(relay('x', {}, { group }))
          .expect(400),
      );
      expect(res.body.message.join()).toContain(`outputs[0].group '${group}' is the ${what} address`);
    });

    it('a mapped address is stored and answered in its IPv4 spelling', async () => {
      const res = await http()
        .post('/api/v1/relays')
        .send(relay('mapped', { group: '::ffff:239.3.3.3' }, { group: '::ffff:239.4.4.4' }))
        .expect(201);
      expect(res.body.input.group).toBe('239.3.3.3');
      expect(res.body.outputs[0].group).toBe('239.4.4.4');
    });
  });

  describe('look-alike names are refused naming the rule', () => {
    it.each([
      [' seed ', 'name must be without leading or trailing whitespace'],
      ['seed\u200b', 'name must be free of control, zero-width and bidirectional formatting characters'],
      ['\u202edees', 'name must be free of control, zero-width and bidirectional formatting characters'],
    ])('%j', async (name, rule) => {
      const res = await unchanged(() =>
        http()
          .post('/api/v1/relays')
          .send(relay(name, { port: 5009 }))
          .expect(400),
      );
      expect(res.body.message.join()).toContain(rule);
    });
  });

  describe('a bad B leg (redundancy) is refused naming redundancy.*', () => {
    const legB = { interface: 'eth2', group: '239.1.2.1', port: 5000 };
    it.each([
      [
        { input: { interface: 'eth0', group: '239.1.1.1', port: 5001 }, mode: 'merge' },
        5001,
        422,
        /^redundancy\.input \(eth0 239\.1\.1\.1:5001\) must be a different ingress than input/,
      ],
      [
        { input: { interface: 'eth0', group: '239.1.1.1', port: 5000 }, mode: 'merge' },
        5002,
        409,
        /^redundancy\.input: ingress eth0 239\.1\.1\.1:5000 is already used by relay 'seed'/,
      ],
      [{ input: legB, mode: 'merge', windowMs: 0 }, 5001, 400, /^redundancy\.windowMs must not be less than 1/],
      [
        { input: legB, mode: 'merge', windowMs: 1001 },
        5001,
        400,
        /^redundancy\.windowMs must not be greater than 1000/,
      ],
    ])('%j on a relay whose input port is %d', async (redundancy, inputPort, status, message) => {
      const res = await unchanged(() =>
        http()
          .post('/api/v1/relays')
          .send({ ...relay('ab', { port: inputPort }, { port: 6001 }), redundancy })
          .expect(status),
      );
      expect(([] as string[]).concat(res.body.message).join('\n')).toMatch(message);
    });
  });

  describe('one message per missing or mistyped field', () => {
    it.each([
      [{ ...relay('x'), input: { interface: 'eth0', group: '239.1.1.9' } }, ['input.port is required']],
      [
        { ...relay('x'), input: { interface: 'eth0', group: '239.1.1.9', port: 'x' } },
        ['input.port must be an integer number, got "x"'],
      ],
      [{ ...relay('x'), input: 'eth0' }, ['input must be an object, got "eth0"']],
      [{ input: relay('x').input, outputs: relay('x').outputs }, ['name is required']],
      [{ ...relay('x'), name: 7 }, ['name must be a string, got 7']],
    ])('%j', async (body, messages) => {
      const res = await unchanged(() => http().post('/api/v1/relays').send(body).expect(400));
      expect(res.body.message).toEqual(messages);
    });
  });

  describe('methods and media types the document does not declare', () => {
    it.each([
      ['patch', '/api/v1/relays', 'GET, POST, HEAD'],
      ['post', '/api/v1/relays/{id}', 'GET, PUT, DELETE, PATCH, HEAD'],
      ['delete', '/api/v1/relays', 'GET, POST, HEAD'],
      ['put', '/api/v1/export', 'GET, HEAD'],
      ['post', '/readyz', 'GET, HEAD'],
      ['options', '/api/v1/relays', 'GET, POST, HEAD'],
    ] as const)('%s %s is 405 with Allow: %s', async (method, route, allow) => {
      const res = await unchanged(() => http()[method](route.replace('{id}', seeded.id)).expect(405));
      expect(res.headers.allow).toBe(allow);
      if (method !== 'options') expect(res.body).toMatchObject({ statusCode: 405, error: 'Method Not Allowed' });
    });

    it('still answers 404 for a path the document does not declare', async () => {
      await http().post('/api/v1/nothing').expect(404);
    });

    it.each([
      ['post', '/api/v1/relays', 'text/plain'],
      ['put', '/api/v1/relays/{id}', 'application/x-www-form-urlencoded'],
      ['post', '/api/v1/cluster/maintenance', 'text/plain'],
      ['post', '/api/v1/import', 'application/xml'],
    ] as const)('%s %s with %s is 415 naming what it reads', async (method, route, type) => {
      const res = await unchanged(() =>
        http()[method](route.replace('{id}', seeded.id)).set('Content-Type', type).send('name=x').expect(415),
      );
      expect(res.body.message).toMatch(new RegExp(`^request body must be application/json.*, got ${type}$`));
    });
  });

  describe('If-Match lists (RFC 9110)', () => {
    it('a list containing the current ETag matches; a list without it is 412', async () => {
      const path = `/api/v1/relays/${seeded.id}`;
      await unchanged(() =>
        http()
          .put(path)
          .set('If-Match', `"${seeded.revision + 1}", "${seeded.revision + 2}"`)
          .send(relay('seed'))
          .expect(412),
      );
      await unchanged(() => http().delete(path).set('If-Match', `W/"${seeded.revision}"`).expect(412));
      const res = await http()
        .put(path)
        .set('If-Match', `"${seeded.revision + 9}", "${seeded.revision}"`)
        .send(relay('seed', {}, { port: 6001 }))
        .expect(200);
      await http().delete(path).set('If-Match', `"1000", "${res.body.revision}"`).expect(204);
    });
  });
});
