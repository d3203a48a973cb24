// @vitest-environment happy-dom
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { exactTime } from '../../components/options/format';
import { SendLogSection } from '../../components/options/SendLogSection';
import type { SendApi } from '../../components/options/types';
import type { SendLogPage } from '../../lib/messaging/requests/send';
import type { SendLogEntry } from '../../lib/messaging/send-views';
import { click, type Mounted, mount, one, text } from './dom';

let mounted: Mounted | undefined;
afterEach(() => {
  mounted?.unmount();
  mounted = undefined;
  vi.restoreAllMocks();
});

const LOCATIONS = [
  { locationId: 'loc-a', name: 'Sunrise Dental' },
  { locationId: 'loc-b', name: 'Harbour Physio' },
];

const entry = (over: Partial<SendLogEntry> = {}): SendLogEntry => ({
  id: 'send-0001',
  state: 'delivered',
  route: 'twilio',
  fromE164: '+14155550111',
  fromDisplay: '(415) 555-0111',
  toDisplay: '(415) 555-0199',
  body: 'Your appointment is at 3pm.',
  mediaCount: 0,
  createdAt: '2026-03-01T11:58:00Z',
  tone: 'ok',
  statusText: 'Delivered',
  providerId: 'SM0123456789abcdef0123456789abcdef',
  canSendAgain: false,
  locationId: 'loc-a',
  contactId: 'contact-1',
  conversationId: 'conv-1',
  ruleLabel: 'Your number',
  trace: ['You are Dana Reyes', 'Dana owns (415) 555-0111'],
  attempts: 1,
  bodyOmitted: false,
  ...over,
});

type Call = { type: string; payload: unknown };

/** An api that records what it was asked and answers from the test's function. */
function fakeApi(answer: (type: string, payload: Record<string, unknown>) => unknown) {
  const calls: Call[] = [];
  const api: SendApi = {
    send: (async (type: string, payload: Record<string, unknown>) => {
      calls.push({ type, payload });
      return answer(type, payload);
    }) as SendApi['send'],
  };
  return { api, calls };
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

const rows = () => [...root().querySelectorAll<HTMLElement>('.send-log > li')];

/** The value a row shows under a label, as its <dt>/<dd> pair says. */
function fact(row: Element, label: string): string {
  const term = [...row.querySelectorAll('dt')].find((dt) => text(dt) === label);
  if (!term) throw new Error(`No "${label}" in the row`);
  return text(term.nextElementSibling);
}

async function show(api: SendApi) {
  mounted = mount(<SendLogSection api={api} locations={LOCATIONS} />);
  await until(() => root().querySelector('[role="status"]') === null);
}

async function choose(select: HTMLSelectElement, value: string) {
  await act(async () => {
    select.value = value;
    select.dispatchEvent(new Event('change', { bubbles: true }));
  });
}

describe('SendLogSection', () => {
  it('explains where direct sends show, and lists each send with its facts', async () => {
    const page: SendLogPage = {
      entries: [
        entry({
          advice: 'Ask the contact to text START, then send again.',
          state: 'failed',
          tone: 'bad',
          statusText: 'Failed: the contact replied STOP (21610)',
          attempts: 2,
        }),
        entry({
          id: 'send-0002',
          route: 'highlevel',
          locationId: 'loc-b',
          providerId: 'hl-msg-77',
          createdAt: '2026-03-01T11:40:00Z',
          body: '',
          bodyOmitted: true,
          trace: [],
          ruleLabel: 'Contact owner',
        }),
        entry({ id: 'send-0003', locationId: 'loc-gone', providerId: undefined, tone: 'pending' }),
      ],
    };
    const { api, calls } = fakeApi(() => page);
    await show(api);

    expect(calls).toEqual([{ type: 'send-log', payload: { limit: 50 } }]);
    expect(text(one(root(), '.lead'))).toBe(
      "Messages sent straight through Twilio do not appear in HighLevel's conversation thread, because HighLevel did not send them. Sender Lens draws them in place in the conversation until the page shows them. To have them in HighLevel's thread, choose the HighLevel route for the sub-account.",
    );
    const [first, second, third] = rows();
    if (!first || !second || !third) throw new Error('expected three rows');
    expect(rows()).toHaveLength(3);

    const time = one<HTMLTimeElement>(first, 'time');
    expect(time.getAttribute('datetime')).toBe('2026-03-01T11:58:00Z');
    expect(text(time)).toBe(exactTime('2026-03-01T11:58:00Z'));
    const pill = one(first, '.pill');
    expect(pill.classList.contains('pill-bad')).toBe(true);
    expect(text(pill)).toBe('Failed: the contact replied STOP (21610)');
    expect(text(one(first, '.send-advice'))).toBe(
      'What to do: Ask the contact to text START, then send again.',
    );
    expect(fact(first, 'Sub-account')).toBe('Sunrise Dental');
    expect(fact(first, 'From')).toBe('(415) 555-0111');
    expect(fact(first, 'To')).toBe('(415) 555-0199');
    expect(fact(first, 'Route')).toBe('Straight through Twilio');
    expect(fact(first, 'Twilio SID')).toBe('SM0123456789abcdef0123456789abcdef');
    expect(fact(first, 'Attempts')).toBe('2');
    expect(fact(first, 'Body')).toBe('Your appointment is at 3pm.');
    // The rule, with its trace behind a disclosure the keyboard reaches.
    const trace = one<HTMLDetailsElement>(first, 'details');
    expect(text(one(trace, 'summary'))).toBe('How the number was chosen for this send');
    expect([...trace.querySelectorAll('li')].map(text)).toEqual([
      'You are Dana Reyes',
      'Dana owns (415) 555-0111',
    ]);
    expect(fact(first, 'Rule')).toMatch(/^Your number/);

    expect(fact(second, 'Sub-account')).toBe('Harbour Physio');
    expect(fact(second, 'Route')).toBe('Through HighLevel');
    expect(fact(second, 'HighLevel message id')).toBe('hl-msg-77');
    expect(fact(second, 'Body')).toBe('left out');
    expect(fact(second, 'Rule')).toBe('Contact owner');
    expect(second.querySelector('details')).toBeNull();
    expect(second.querySelector('.send-advice')).toBeNull();

    // A sub-account the page no longer knows is named by its id.
    expect(fact(third, 'Sub-account')).toBe('loc-gone');
    expect(fact(third, 'Twilio SID')).toBe('none yet');
    expect(one(third, '.pill').classList.contains('pill-pending')).toBe(true);
    // No more pages: no "Show older".
    expect([...root().querySelectorAll('button')].map(text)).not.toContain('Show older');
  });

  it('says so when there are no sends', async () => {
    const { api } = fakeApi(() => ({ entries: [] }));
    await show(api);
    expect(rows()).toHaveLength(0);
    expect(text(one(root(), 'section'))).toContain(
      'No sends yet. Sends made with “Send via Twilio” on a conversation appear here.',
    );
  });

  it('pages back with nextBeforeMs and moves focus to the first older send', async () => {
    const { api, calls } = fakeApi((_type, payload) =>
      payload.beforeMs === undefined
        ? { entries: [entry({ id: 'send-new1' }), entry({ id: 'send-new2' })], nextBeforeMs: 1700 }
        : {
            entries: [
              // The page boundary may repeat a send; it is shown once.
              entry({ id: 'send-new2' }),
              entry({ id: 'send-old1', fromDisplay: '(415) 555-0100' }),
            ],
          },
    );
    await show(api);
    expect(rows()).toHaveLength(2);
    await act(async () => click(button('Show older')));
    await until(() => rows().length === 3);
    expect(calls.at(-1)).toEqual({ type: 'send-log', payload: { limit: 50, beforeMs: 1700 } });
    expect(rows().map((r) => r.dataset.sendId)).toEqual(['send-new1', 'send-new2', 'send-old1']);
    expect(document.activeElement).toBe(rows()[2]);
    // The last page has no nextBeforeMs, so the button goes.
    expect([...root().querySelectorAll('button')].map(text)).not.toContain('Show older');
  });

  it('filters by a known sub-account, and pages within it', async () => {
    const { api, calls } = fakeApi((_type, payload) =>
      payload.locationId === 'loc-b'
        ? {
            entries: [entry({ id: `send-b-${payload.beforeMs ?? 'top'}`, locationId: 'loc-b' })],
            ...(payload.beforeMs === undefined ? { nextBeforeMs: 900 } : {}),
          }
        : { entries: [entry({ id: 'send-a1' })] },
    );
    await show(api);
    const select = one<HTMLSelectElement>(root(), 'select');
    // Labelled, so the control is named for screen readers.
    expect(text(one(root(), `label[for="${select.id}"]`))).toBe('Sub-account');
    expect([...select.options].map((o) => [o.value, text(o)])).toEqual([
      ['', 'All sub-accounts'],
      ['loc-a', 'Sunrise Dental'],
      ['loc-b', 'Harbour Physio'],
    ]);

    await choose(select, 'loc-b');
    await until(() => rows()[0]?.dataset.sendId === 'send-b-top');
    expect(calls.at(-1)).toEqual({ type: 'send-log', payload: { limit: 50, locationId: 'loc-b' } });
    expect(rows()).toHaveLength(1);

    await act(async () => click(button('Show older')));
    await until(() => rows().length === 2);
    expect(calls.at(-1)).toEqual({
      type: 'send-log',
      payload: { limit: 50, locationId: 'loc-b', beforeMs: 900 },
    });

    await choose(select, '');
    await until(() => rows()[0]?.dataset.sendId === 'send-a1');
    expect(calls.at(-1)).toEqual({ type: 'send-log', payload: { limit: 50 } });
    expect(rows()).toHaveLength(1);
  });

  it('exports the log as a CSV download named by the background, then revokes the URL', async () => {
    const csv = 'time,sub-account,from,to\n2026-03-01T11:58:00Z,loc-b,+14155550111,+14155550199\n';
    const { api, calls } = fakeApi((type) =>
      type === 'send-log-csv'
        ? { csv, filename: 'sender-lens-sends-2026-03-01.csv', rows: 1 }
        : { entries: [entry()] },
    );
    const blobs: Blob[] = [];
    const create = vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      blobs.push(blob as Blob);
      return 'blob:sender-lens/csv-1';
    });
    const revoke = vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
    const clicked: { href: string; download: string; attached: boolean }[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      clicked.push({
        href: this.getAttribute('href') ?? '',
        download: this.download,
        attached: this.isConnected,
      });
    });
    await show(api);
    await choose(one<HTMLSelectElement>(root(), 'select'), 'loc-b');
    await until(() => calls.length === 2 && rows().length === 1);

    await act(async () => click(button('Export CSV')));
    await until(() => clicked.length === 1);
    expect(calls.at(-1)).toEqual({ type: 'send-log-csv', payload: { locationId: 'loc-b' } });
    expect(create).toHaveBeenCalledTimes(1);
    expect(await blobs[0]?.text()).toBe(csv);
    expect(blobs[0]?.type).toMatch(/^text\/csv/);
    expect(clicked).toEqual([
      {
        href: 'blob:sender-lens/csv-1',
        download: 'sender-lens-sends-2026-03-01.csv',
        attached: true,
      },
    ]);
    expect(document.querySelector('a[download]')).toBeNull();
    await settle(5);
    expect(revoke).toHaveBeenCalledWith('blob:sender-lens/csv-1');
    expect(text(one(root(), '[role="status"]'))).toBe(
      'Exported 1 send to sender-lens-sends-2026-03-01.csv.',
    );
  });

  it('shows the api’s errors in words, and tries again on request', async () => {
    let fail = true;
    const { api, calls } = fakeApi((type) => {
      if (type === 'send-log-csv') throw new Error('The send log is busy; try again in a moment.');
      if (fail) throw new Error('No answer from the extension’s background.');
      return { entries: [entry()] };
    });
    const create = vi.spyOn(URL, 'createObjectURL');
    mounted = mount(<SendLogSection api={api} locations={LOCATIONS} />);
    await until(() => root().querySelector('[role="alert"]') !== null);
    expect(text(one(root(), '[role="alert"]'))).toBe(
      'Could not read the send log: No answer from the extension’s background. Try again',
    );
    // An error is not an empty log.
    expect(text(one(root(), 'section'))).not.toContain('No sends yet');

    fail = false;
    await act(async () => click(button('Try again')));
    await until(() => rows().length === 1);
    expect(calls.map((c) => c.type)).toEqual(['send-log', 'send-log']);
    expect(root().querySelector('[role="alert"]')).toBeNull();

    await act(async () => click(button('Export CSV')));
    await until(() => root().querySelector('[role="alert"]') !== null);
    expect(text(one(root(), '[role="alert"]'))).toBe(
      'Could not export the send log: The send log is busy; try again in a moment.',
    );
    expect(create).not.toHaveBeenCalled();
    expect(button('Export CSV').disabled).toBe(false);
  });
});
