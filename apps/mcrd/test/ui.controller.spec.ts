// The dashboard at /ui: served from the package's built files, open whatever the token
// settings (the API calls it makes carry the token), cached by content hash, no way out of its folder.
import request from 'supertest';
import { uiIsBuilt, defaultUiAssetsDir } from '../src/ui/ui-assets';
import { createTestApp, type TestApp } from './support/test-app';

describe('dashboard at /ui', () => {
  let t: TestApp;
  const http = () => request(t.app.getHttpServer());
  beforeAll(async () => {
    if (!uiIsBuilt(defaultUiAssetsDir()))
      throw new Error(`${defaultUiAssetsDir()} has no index.html: run npm run build -w @mcr/mcrd first`);
    t = await createTestApp({ apiToken: 'write-secret', apiTokenRead: 'read-secret' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('serves the page and its bundle without a token while the API still needs one', async () => {
    const page = await http().get('/ui/').expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.headers['content-security-policy']).toMatch(/default-src 'self'.*frame-ancestors 'none'/);
    const assets = [...page.text.matchAll(/(?:src|href)="(assets\/[^"]+)"/g)].map((m) => m[1]);
    expect(assets).toEqual([
      expect.stringMatching(/^assets\/app-[A-Z0-9]{8}\.css$/),
      expect.stringMatching(/^assets\/app-[A-Z0-9]{8}\.js$/),
    ]);
    for (const asset of assets) {
      const file = await http().get(`/ui/${asset}`).expect(200);
      expect(file.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(file.headers['content-type']).toMatch(asset.endsWith('.js') ? /javascript/ : /text\/css/);
    }
    await http().get('/api/v1/stats').expect(401);
  });

  it('redirects /ui to /ui/ so the page finds its relative asset URLs', async () => {
    const res = await http().get('/ui').expect(301);
    expect(res.headers.location).toBe('/ui/');
  });

  it('answers 404 with the API error body for unknown files and paths that try to leave the folder', async () => {
    for (const path of [
      '/ui/assets/app-00000000.js',
      '/ui/assets/..%2Fpackage.json',
      '/ui/assets/.hidden',
      '/ui/index.html/x',
    ]) {
      const res = await http().get(path);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
      expect(res.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
    }
  });
});
