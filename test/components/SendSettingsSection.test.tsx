// @vitest-environment happy-dom
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { SendSettingsSection } from '../../components/options/SendSettingsSection';
import type { SendApi } from '../../components/options/types';
import type { SendSettings } from '../../lib/messaging/send-views';
import { click, type Mounted, mount, one, text } from './dom';

let mounted: Mounted | undefined;
afterEach(() => {
  mounted?.unmount();
  mounted = undefined;
});

const LOCATIONS = [
  { locationId: 'loc-a', name: 'Sunrise Dental' },
  { locationId: 'loc-b', name: 'Harbour Physio' },
];

const TWILIO = 'Straight through Twilio';
const HIGHLEVEL = "Through HighLevel (lands in HighLevel's thread; the only route for LC Phone)";

type Call = { type: string; payload: unknown };

/** An api that records what it was asked and answers from the test's function. */
function fakeApi(answer: (type: string, payload: unknown) => unknown) {
  const calls: Call[] = [];
  const api: SendApi = {
    send: (async (type: string, payload: unknown) => {
      calls.push({ type, payload });
      return answer(type, payload);
    }) as SendApi['send'],
  };
  return { api, calls };
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

async function settle(ms = 0) {
  await act(async () => {
    await new Promise((resolve) => setTimeout(resolve, ms));
  });
}

async function until(check: () => boolean) {
  for (let i = 0; i < 100; i++) {
    if (check()) return;
    await settle(5);
  }
  throw new Error('never happened');
}

const root = () => mounted?.root as ParentNode;

function button(name: string): HTMLButtonElement {
  const found = [...root().querySelectorAll('button')].find((b) => text(b) === name);
  if (!found) throw new Error(`No button "${name}"`);
  return found;
}

/** The checkbox its label names through `for`. */
function checkbox(label: string): HTMLInputElement {
  const found = [...root().querySelectorAll('label[for]')].find((l) => text(l) === label);
  if (!found) throw new Error(`No label "${label}"`);
  return one<HTMLInputElement>(root(), `[id="${found.getAttribute('for')}"]`);
}

/** The radio named `choice` in the group whose legend starts with the sub-account's name. */
function radio(name: string, choice: string): HTMLInputElement {
  const group = [...root().querySelectorAll('fieldset')].find((f) =>
    text(f.querySelector('legend')).startsWith(name),
  );
  if (!group) throw new Error(`No route group for ${name}`);
  const label = [...group.querySelectorAll('label')].find((l) => text(l) === choice);
  if (!label) throw new Error(`No choice "${choice}" for ${name}`);
  return one<HTMLInputElement>(label, 'input[type="radio"]');
}

const controls = () => [
  ...root().querySelectorAll<HTMLInputElement | HTMLButtonElement>('input, button'),
];

async function show(api: SendApi) {
  mounted = mount(<SendSettingsSection api={api} locations={LOCATIONS} />);
  await until(() => root().querySelector('form') !== null);
}

async function save() {
  await act(async () => {
    one(root(), 'form').dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
  });
}

describe('SendSettingsSection', () => {
  it('shows the saved settings: the body setting and each sub-account’s route', async () => {
    const { api, calls } = fakeApi(() => ({ omitBodies: true, routes: { 'loc-b': 'highlevel' } }));
    await show(api);
    expect(calls).toEqual([{ type: 'send-settings-get', payload: {} }]);
    expect(checkbox('Leave message bodies out of the send log').checked).toBe(true);
    // Not listed: through Twilio.
    expect(radio('Sunrise Dental', TWILIO).checked).toBe(true);
    expect(radio('Sunrise Dental', HIGHLEVEL).checked).toBe(false);
    expect(radio('Harbour Physio', HIGHLEVEL).checked).toBe(true);
    // One group a sub-account, so arrow keys move within it.
    expect(radio('Sunrise Dental', TWILIO).name).toBe(radio('Sunrise Dental', HIGHLEVEL).name);
    expect(radio('Sunrise Dental', TWILIO).name).not.toBe(radio('Harbour Physio', TWILIO).name);
  });

  it('saves what is shown, disabling the controls until the answer, then says Saved', async () => {
    const answer = deferred<SendSettings>();
    const { api, calls } = fakeApi((type) =>
      type === 'send-settings-get'
        ? { omitBodies: false, routes: { 'loc-b': 'highlevel', 'loc-old': 'highlevel' } }
        : answer.promise,
    );
    await show(api);
    await act(async () => click(checkbox('Leave message bodies out of the send log')));
    await act(async () => click(radio('Sunrise Dental', HIGHLEVEL)));
    await act(async () => click(radio('Harbour Physio', TWILIO)));
    await save();

    expect(calls.at(-1)).toEqual({
      type: 'send-settings-set',
      payload: {
        omitBodies: true,
        // Every known sub-account is named; one the page no longer lists keeps its route.
        routes: { 'loc-a': 'highlevel', 'loc-b': 'twilio', 'loc-old': 'highlevel' },
      },
    });
    expect(controls().length).toBeGreaterThan(0);
    expect(controls().every((c) => c.disabled)).toBe(true);
    expect(text(one(root(), 'button[type="submit"]'))).toBe('Saving…');

    answer.resolve({
      omitBodies: true,
      routes: { 'loc-a': 'highlevel', 'loc-b': 'twilio', 'loc-old': 'highlevel' },
    });
    await until(() => text(root().querySelector('[role="status"]')) === 'Saved');
    expect(controls().some((c) => c.disabled)).toBe(false);
    expect(radio('Sunrise Dental', HIGHLEVEL).checked).toBe(true);
    expect(root().querySelector('[role="alert"]')).toBeNull();

    // A change after saving takes "Saved" away.
    await act(async () => click(radio('Sunrise Dental', TWILIO)));
    expect(text(one(root(), '[role="status"]'))).toBe('');
  });

  it('shows a refused save in words and keeps the choices', async () => {
    const { api } = fakeApi((type) => {
      if (type === 'send-settings-get') return { omitBodies: false, routes: {} };
      throw new Error('routes.loc-a: expected an id');
    });
    await show(api);
    await act(async () => click(radio('Sunrise Dental', HIGHLEVEL)));
    await save();
    await until(() => root().querySelector('[role="alert"]') !== null);
    expect(text(one(root(), '[role="alert"]'))).toBe('routes.loc-a: expected an id');
    expect(text(one(root(), '[role="status"]'))).toBe('');
    expect(radio('Sunrise Dental', HIGHLEVEL).checked).toBe(true);
    expect(controls().some((c) => c.disabled)).toBe(false);
  });

  it('says when the settings cannot be read, and reads them again on request', async () => {
    let fail = true;
    const { api, calls } = fakeApi(() => {
      if (fail) throw new Error('Could not reach the extension’s background.');
      return { omitBodies: false, routes: {} };
    });
    mounted = mount(<SendSettingsSection api={api} locations={LOCATIONS} />);
    await until(() => root().querySelector('[role="alert"]') !== null);
    expect(text(one(root(), '[role="alert"]'))).toBe(
      'Could not read the send settings: Could not reach the extension’s background. Try again',
    );
    expect(root().querySelector('form')).toBeNull();
    fail = false;
    await act(async () => click(button('Try again')));
    await until(() => root().querySelector('form') !== null);
    expect(calls).toHaveLength(2);
    expect(root().querySelector('[role="alert"]')).toBeNull();
  });

  it('offers no route choice for a sub-account on LC Phone, and says why', async () => {
    const { api } = fakeApi(() => ({ omitBodies: false, routes: {} }));
    mounted = mount(
      <SendSettingsSection
        api={api}
        locations={[
          { locationId: 'loc-a', name: 'Sunrise Dental' },
          { locationId: 'loc-b', name: 'Harbour Physio', lcPhone: true },
        ]}
      />,
    );
    await until(() => root().querySelector('form') !== null);
    expect(root().querySelectorAll('input[name="send-route-loc-b"]')).toHaveLength(0);
    expect(root().querySelectorAll('input[name="send-route-loc-a"]')).toHaveLength(2);
    expect(text(one(root(), 'form'))).toContain(
      'Harbour Physio: on LC Phone, so it always sends through HighLevel.',
    );
  });

  it('asks for a sub-account first when the page knows none', async () => {
    const { api } = fakeApi(() => ({ omitBodies: false, routes: {} }));
    mounted = mount(<SendSettingsSection api={api} locations={[]} />);
    await until(() => root().querySelector('form') !== null);
    expect(root().querySelectorAll('input[type="radio"]')).toHaveLength(0);
    expect(text(one(root(), 'form'))).toContain('Add a sub-account under HighLevel first.');
  });
});
