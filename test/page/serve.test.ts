import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_PAGES, type FixtureServer, serveFixtures } from '../fixtures/serve';

const FIXTURE_DIR = new URL('../fixtures/', import.meta.url);
const page = (file: string) => readFileSync(new URL(file, FIXTURE_DIR), 'utf8');

describe('serveFixtures', () => {
  let server: FixtureServer;
  beforeAll(async () => {
    server = await serveFixtures();
  });
  afterAll(() => server.close());

  it('listens on 127.0.0.1 and builds conversation addresses', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.conversationUrl('conv-alice')).toBe(
      `${server.url}/v2/location/loc-demo/conversations/conversations/conv-alice`,
    );
    expect(server.conversationUrl(null, { locationId: 'L1', fixture: 'alt' })).toBe(
      `${server.url}/v2/location/L1/conversations/conversations?fixture=alt`,
    );
  });

  it.each([
    ['/v2/location/loc-demo/conversations/conversations/conv-alice', FIXTURE_PAGES.main],
    ['/v2/location/L1/conversations/conversations/', FIXTURE_PAGES.main],
    ['/v2/location/L1/conversations/conversations?category=team-inbox&tab=all', FIXTURE_PAGES.main],
    ['/v2/location/L1/conversations/conversations/c1?fixture=alt', FIXTURE_PAGES.alt],
    ['/v2/location/L1/conversations/conversations/c1?fixture=unknown', FIXTURE_PAGES.unknown],
    ['/fixtures/conversations-2026-05-26.html', FIXTURE_PAGES.main],
  ])('serves %s as %s', async (path, file) => {
    const response = await fetch(`${server.url}${path}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await response.text()).toBe(page(file));
  });

  it('serves the script, the stylesheet and the default data', async () => {
    const script = await fetch(`${server.url}/fixtures/fixture-app.js`);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toBe(page('fixture-app.js'));
    const css = await fetch(`${server.url}/fixtures/fixture.css`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    const data = await (await fetch(`${server.url}/fixtures/fixture-data.json`)).json();
    expect(data).toEqual(JSON.parse(page('fixture-data.json')));
  });

  it('serves data set per test, and the file again after setData(undefined)', async () => {
    server.setData({ location: { id: 'loc-x' }, conversations: [] });
    const data = await (await fetch(`${server.url}/fixtures/fixture-data.json`)).json();
    expect(data).toEqual({ location: { id: 'loc-x' }, conversations: [] });
    server.setData(undefined);
    const again = await (await fetch(`${server.url}/fixtures/fixture-data.json`)).json();
    expect(again.location.id).toBe('loc-demo');
  });

  it('changes the default page with setFixture', async () => {
    server.setFixture('unknown');
    const body = await (await fetch(server.conversationUrl('c1'))).text();
    server.setFixture('main');
    expect(body).toBe(page(FIXTURE_PAGES.unknown));
    expect(() => server.setFixture('nope' as 'main')).toThrow('setFixture: unknown fixture "nope"');
  });

  it.each([
    '/',
    '/fixtures/serve.ts',
    '/fixtures/../../package.json',
    '/fixtures/%2e%2e/%2e%2e/package.json',
    '/fixtures/',
    '/v2/location/L1/contacts/detail/c1',
    '/v2/location/L1/conversations/conversations/c1/extra',
    '/v2/location/L1/conversations/conversations/c1?fixture=nope',
  ])('answers 404 for %s', async (path) => {
    const response = await fetch(`${server.url}${path}`);
    expect(response.status).toBe(404);
    await response.body?.cancel();
  });

  it('refuses methods other than GET and HEAD', async () => {
    const response = await fetch(`${server.url}/fixtures/fixture-app.js`, { method: 'POST' });
    expect(response.status).toBe(405);
    await response.body?.cancel();
  });
});

describe('serveFixtures options', () => {
  it('serves the data and page it was started with', async () => {
    const server = await serveFixtures({ data: { location: { id: 'L9' } }, fixture: 'alt' });
    try {
      expect(await (await fetch(`${server.url}/fixtures/fixture-data.json`)).json()).toEqual({
        location: { id: 'L9' },
      });
      expect(await (await fetch(server.conversationUrl('c1'))).text()).toBe(
        page(FIXTURE_PAGES.alt),
      );
    } finally {
      await server.close();
    }
  });

  it('rejects an unknown fixture name', async () => {
    await expect(serveFixtures({ fixture: 'nope' as 'main' })).rejects.toThrow(
      'serveFixtures: unknown fixture "nope"',
    );
  });
});
