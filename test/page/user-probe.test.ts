// @vitest-environment happy-dom
import { Window } from 'happy-dom';
import { afterEach, describe, expect, it } from 'vitest';
import {
  listenForUser,
  type PageUser,
  parseUserDetail,
  pickCurrentUser,
  probeMainWorld,
  USER_EVENT,
  USER_REQUEST_EVENT,
} from '@/lib/page/user-probe';
import { type FixtureApi, loadFixture } from './load-fixture';

const ROUTE = '/v2/location/loc-demo/conversations/conversations';
const JANE = { id: 'usr-jane-doe', name: 'Jane Doe', role: 'admin', locationId: 'loc-demo' };

describe('parseUserDetail', () => {
  it('accepts the probe JSON, with absent fields as null', () => {
    expect(parseUserDetail(JSON.stringify(JANE))).toEqual(JANE);
    expect(parseUserDetail('{"id":"u1"}')).toEqual({
      id: 'u1',
      name: null,
      role: null,
      locationId: null,
    });
  });

  it.each([
    ['an object instead of JSON text', JANE],
    ['a number', 42],
    ['null', null],
    ['not JSON', '{id: u1}'],
    ['a JSON array', '["u1"]'],
    ['JSON null', 'null'],
    ['a JSON string', '"u1"'],
    ['no id', '{"name":"Jane"}'],
    ['an empty id', '{"id":""}'],
    ['a numeric id', '{"id":12345}'],
    ['a non-string name', '{"id":"u1","name":["Jane"]}'],
    ['a boolean role', '{"id":"u1","role":true}'],
    ['a nested object', '{"id":"u1","name":{"first":"Jane"}}'],
    ['an extra field', '{"id":"u1","token":"abc"}'],
    ['__proto__ field', '{"id":"u1","__proto__":{"x":1}}'],
    ['an id with spaces', '{"id":"u 1"}'],
    ['an id with markup', '{"id":"<img src=x>"}'],
    ['an over-long id', JSON.stringify({ id: 'u'.repeat(129) })],
    ['an over-long name', JSON.stringify({ id: 'u1', name: 'n'.repeat(201) })],
    ['an over-long role', JSON.stringify({ id: 'u1', role: 'r'.repeat(65) })],
    ['a control character in the name', JSON.stringify({ id: 'u1', name: 'Jane\u0000' })],
    ['a bad location id', JSON.stringify({ id: 'u1', locationId: 'loc/demo' })],
    [
      'an oversized detail',
      JSON.stringify({ id: 'u1', name: 'x'.repeat(180), pad: ' '.repeat(3000) }),
    ],
  ])('rejects %s', (_, detail) => {
    expect(parseUserDetail(detail)).toBeNull();
  });

  it('rejects a detail over 2048 characters even if the fields are fine', () => {
    const padded = `${JSON.stringify({ id: 'u1' })}${' '.repeat(2100)}`;
    expect(JSON.parse(padded)).toEqual({ id: 'u1' });
    expect(parseUserDetail(padded)).toBeNull();
  });
});

type Utilities = { getCurrentUser?: unknown; getCurrentLocation?: unknown };

/**
 * Runs the probe's source in a fresh happy-dom window, with no access to this module's scope:
 * the same way `scripting.executeScript({ func })` would serialise it into a page.
 */
function probeInFreshWindow(
  path: string,
  appUtils?: { Utilities: Utilities },
  timers: { setInterval?: (fn: () => void, ms: number) => number } = {},
) {
  const win = new Window({ url: `https://app.gohighlevel.com${path}` });
  if (appUtils) (win as unknown as { AppUtils: unknown }).AppUtils = appUtils;
  const users: PageUser[] = [];
  const controller = new AbortController();
  const doc = win.document as unknown as Document;
  listenForUser(doc, controller.signal, (user) => users.push(user));
  const run = () =>
    new Function(
      'window',
      'document',
      'CustomEvent',
      'setInterval',
      'clearInterval',
      `(${probeMainWorld.toString()})();`,
    )(
      win,
      win.document,
      win.CustomEvent,
      timers.setInterval ?? win.setInterval.bind(win),
      win.clearInterval.bind(win),
    );
  run();
  return { win, doc, users, controller, run };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
const windows: Window[] = [];
afterEach(async () => {
  for (const win of windows.splice(0)) await win.happyDOM.close();
});
function track<T extends { win: Window }>(probe: T): T {
  windows.push(probe.win);
  return probe;
}

describe('probeMainWorld → listenForUser', () => {
  it('reads a promise-returning AppUtils and sends id, name, role and location only', async () => {
    const probe = track(
      probeInFreshWindow(`${ROUTE}/c1`, {
        Utilities: {
          getCurrentUser: () =>
            Promise.resolve({
              ...JANE,
              locationId: undefined,
              email: 'jane@x.example',
              type: 'account',
            }),
          getCurrentLocation: () => Promise.resolve({ id: 'loc-demo', name: 'Sunrise Dental' }),
        },
      }),
    );
    await settle();
    expect(probe.users).toEqual([JANE]);
  });

  it('reads plain values too, and takes the location from the route when the app has none', async () => {
    const probe = track(
      probeInFreshWindow('/v2/location/loc-route/conversations/conversations', {
        Utilities: { getCurrentUser: () => ({ id: 'u1', firstName: 'Raj', lastName: 'Patel' }) },
      }),
    );
    await settle();
    expect(probe.users).toEqual([
      { id: 'u1', name: 'Raj Patel', role: null, locationId: 'loc-route' },
    ]);
  });

  it('drops fields the app fills with the wrong type or size instead of sending them', async () => {
    const probe = track(
      probeInFreshWindow(`${ROUTE}/c1`, {
        Utilities: {
          getCurrentUser: () => ({ id: 'u1', name: 'n'.repeat(500), role: 7 }),
          getCurrentLocation: () => ({ id: 42 }),
        },
      }),
    );
    await settle();
    expect(probe.users).toEqual([{ id: 'u1', name: null, role: null, locationId: 'loc-demo' }]);
  });

  it('sends nothing when the app throws, rejects or has no user id', async () => {
    for (const getCurrentUser of [
      () => {
        throw new Error('boom');
      },
      () => Promise.reject(new Error('nope')),
      () => ({ name: 'No Id' }),
      () => undefined,
    ]) {
      const probe = track(probeInFreshWindow(`${ROUTE}/c1`, { Utilities: { getCurrentUser } }));
      await settle();
      expect(probe.users).toEqual([]);
    }
  });

  it('waits for AppUtils to appear', async () => {
    let tick: (() => void) | undefined;
    const probe = track(
      probeInFreshWindow(`${ROUTE}/c1`, undefined, {
        setInterval: (fn) => {
          tick = fn;
          return 1;
        },
      }),
    );
    expect(tick).toBeDefined();
    tick?.();
    await settle();
    expect(probe.users).toEqual([]);
    (probe.win as unknown as { AppUtils: unknown }).AppUtils = {
      Utilities: { getCurrentUser: () => ({ id: 'late' }) },
    };
    tick?.();
    await settle();
    expect(probe.users.map((u) => u.id)).toEqual(['late']);
  });

  it('sends again on routeChangeEvent and when the content script asks', async () => {
    let location = 'loc-a';
    const probe = track(
      probeInFreshWindow(`${ROUTE}/c1`, {
        Utilities: {
          getCurrentUser: () => Promise.resolve({ id: 'u1' }),
          getCurrentLocation: () => Promise.resolve({ id: location }),
        },
      }),
    );
    await settle();
    location = 'loc-b';
    probe.win.dispatchEvent(new probe.win.CustomEvent('routeChangeEvent'));
    await settle();
    probe.doc.dispatchEvent(new probe.win.CustomEvent(USER_REQUEST_EVENT) as unknown as Event);
    await settle();
    expect(probe.users.map((u) => u.locationId)).toEqual(['loc-a', 'loc-b', 'loc-b']);
  });

  it('a second injection adds no second set of listeners', async () => {
    const probe = track(
      probeInFreshWindow(`${ROUTE}/c1`, { Utilities: { getCurrentUser: () => ({ id: 'u1' }) } }),
    );
    probe.run();
    await settle();
    probe.win.dispatchEvent(new probe.win.CustomEvent('routeChangeEvent'));
    await settle();
    expect(probe.users).toHaveLength(2);
  });

  it('a listener started after the probe still gets the user', async () => {
    const probe = track(
      probeInFreshWindow(`${ROUTE}/c1`, { Utilities: { getCurrentUser: () => ({ id: 'u1' }) } }),
    );
    await settle();
    const late: PageUser[] = [];
    listenForUser(probe.doc, new AbortController().signal, (user) => late.push(user));
    await settle();
    expect(late.map((u) => u.id)).toEqual(['u1']);
  });

  it('stops calling back once the signal aborts', async () => {
    const probe = track(
      probeInFreshWindow(`${ROUTE}/c1`, { Utilities: { getCurrentUser: () => ({ id: 'u1' }) } }),
    );
    await settle();
    probe.controller.abort();
    probe.win.dispatchEvent(new probe.win.CustomEvent('routeChangeEvent'));
    await settle();
    expect(probe.users).toHaveLength(1);
  });
});

describe('listenForUser against forged events', () => {
  it('ignores events whose detail is not the expected JSON and passes valid ones', () => {
    const users: PageUser[] = [];
    const controller = new AbortController();
    listenForUser(document, controller.signal, (user) => users.push(user));
    const fire = (detail: unknown) =>
      document.dispatchEvent(new CustomEvent(USER_EVENT, { detail }));
    fire({ id: 'u1' });
    fire('{"id":"u1","isAdmin":"true"}');
    fire('{"id":1}');
    fire(undefined);
    expect(users).toEqual([]);
    fire('{"id":"u2","role":"user"}');
    expect(users).toEqual([{ id: 'u2', name: null, role: 'user', locationId: null }]);
    controller.abort();
  });

  it('does nothing with an already aborted signal', () => {
    const users: PageUser[] = [];
    let asked = 0;
    const count = () => asked++;
    document.addEventListener(USER_REQUEST_EVENT, count);
    listenForUser(document, AbortSignal.abort(), (user) => users.push(user));
    document.dispatchEvent(new CustomEvent(USER_EVENT, { detail: '{"id":"u1"}' }));
    document.removeEventListener(USER_REQUEST_EVENT, count);
    expect(users).toEqual([]);
    expect(asked).toBe(0);
  });
});

describe('on the fixture page', () => {
  let fixture: FixtureApi | undefined;
  afterEach(() => fixture?.destroy());

  it("reads the fixture's AppUtils and follows its client-side navigation", async () => {
    fixture = await loadFixture('main', { path: `${ROUTE}/conv-alice` });
    const users: PageUser[] = [];
    const controller = new AbortController();
    listenForUser(document, controller.signal, (user) => users.push(user));
    probeMainWorld();
    await settle();
    expect(users).toEqual([JANE]);
    fixture.navigate('conv-ben');
    await settle();
    expect(users).toHaveLength(2);
    controller.abort();
  });
});

describe('pickCurrentUser', () => {
  const probed: PageUser = { id: 'u-page', name: 'Jane', role: null, locationId: 'loc-demo' };
  it('prefers what the page reports, then the "I am …" choice, else nobody', () => {
    expect(pickCurrentUser(probed, 'u-chosen')).toEqual({ userId: 'u-page', source: 'page' });
    expect(pickCurrentUser(null, 'u-chosen')).toEqual({ userId: 'u-chosen', source: 'chosen' });
    expect(pickCurrentUser(null, null)).toBeNull();
    expect(pickCurrentUser(null, '')).toBeNull();
  });
});
