// @vitest-environment happy-dom
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { type NumbersApi, NumbersSection } from '../../components/options/NumbersSection';
import { buildNumbersView } from '../../lib/background/numbers-view';
import type { NumbersStaffView } from '../../lib/messaging/requests/numbers';
import { N, NOW, SYNCED_AT, sunrise } from '../background/conversation.fixtures';
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

function fakeApi(answer: (locationId: string) => NumbersStaffView | Promise<NumbersStaffView>) {
  const calls: string[] = [];
  const api: NumbersApi = {
    send: (async (_type: string, payload: { locationId: string }) => {
      calls.push(payload.locationId);
      return answer(payload.locationId);
    }) as NumbersApi['send'],
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

/** Each body row as its cells' text, the row header first. */
function rows(table: Element): string[][] {
  return [...table.querySelectorAll('tbody tr')].map((tr) =>
    [...tr.children].map((cell) => text(cell)),
  );
}

const sunriseView = (snapshot = sunrise()) => buildNumbersView('loc-a', snapshot, SYNCED_AT, NOW);

describe('NumbersSection', () => {
  it('shows the numbers and staff tables with proper headers and a caption', async () => {
    const { api, calls } = fakeApi(() => sunriseView());
    mounted = mount(<NumbersSection api={api} locations={LOCATIONS} />);
    await until(() => root().querySelector('table') !== null);
    expect(calls).toEqual(['loc-a']);
    const [numbers, staff] = [...root().querySelectorAll('table')] as unknown as [Element, Element];
    expect(text(numbers.querySelector('caption'))).toBe('Numbers of Sunrise Dental');
    expect([...numbers.querySelectorAll('thead th')].map((th) => th.getAttribute('scope'))).toEqual(
      Array(7).fill('col'),
    );
    expect([...numbers.querySelectorAll('thead th')].map((th) => text(th))).toEqual([
      'Name',
      'Number',
      'Sends',
      'Default',
      'Pool',
      'Assigned to',
      'Problems',
    ]);
    expect(numbers.querySelectorAll('tbody th[scope="row"]')).toHaveLength(7);
    const numberRows = rows(numbers);
    expect(numberRows[0]).toEqual([
      'Main Office',
      '(415) 555-0101',
      'SMS',
      'Default',
      'none',
      'nobody',
      'none',
    ]);
    expect(numberRows[3]?.slice(0, 6)).toEqual([
      'Front Desk (voice)',
      '(415) 555-0104',
      'Voice only',
      'no',
      'none',
      'Maria Chen',
    ]);
    expect(numberRows[6]?.[2]).toBe('Unknown (treated as SMS)');

    expect(text(staff.querySelector('caption'))).toBe('Staff of Sunrise Dental');
    const staffRows = rows(staff);
    expect(staffRows.map((r) => r[0])).toEqual([
      'Jane Doe',
      'Maria Chen',
      'Raj Patel',
      'Sam Ortiz',
      'Vic Lowe',
    ]);
    expect(staffRows[0]).toEqual(['Jane Doe', '(415) 555-0102 (Jane Doe)', 'none']);
    expect(staffRows[3]?.[1]).toBe('(415) 555-0150 (removed)');
    expect(staffRows[4]?.[1]).toBe('none');
    expect(text(mounted.container)).toContain('Synced 5 min ago');
  });

  it('flags each problem next to its row and lists all of them at the top', async () => {
    const { api } = fakeApi(() => sunriseView());
    mounted = mount(<NumbersSection api={api} locations={LOCATIONS} />);
    await until(() => root().querySelector('table') !== null);
    const summary = [...root().querySelectorAll('.numbers-problems > li')].map((li) => text(li));
    expect(summary).toEqual([
      'Maria Chen’s number (415) 555-0104 is voice-only: their SMS go from the default number (415) 555-0101, never the channel number.',
      'Sam Ortiz’s number (415) 555-0150 was removed from the sub-account: they count as having no number (inferred), so their SMS go from the contact’s channel number, else the default number (415) 555-0101.',
      'Vic Lowe has no number: their SMS go from the contact’s channel number, else the default number (415) 555-0101.',
    ]);
    const staff = root().querySelectorAll('table')[1] as Element;
    const maria = [...staff.querySelectorAll('tbody tr')][1] as HTMLElement;
    expect(maria.classList.contains('row-flagged')).toBe(true);
    expect(text(maria.querySelector('.row-problems'))).toContain('is voice-only');
    // The summary's links take the keyboard to the row.
    const link = one<HTMLAnchorElement>(root(), '.numbers-problems a');
    expect(link.getAttribute('href')).toBe(`#${maria.id}`);
    await act(async () => click(link));
    expect(document.activeElement).toBe(maria);
    // Both tables can be scrolled by keyboard.
    expect(
      [...root().querySelectorAll('section.table-wrap')].map((s) => s.getAttribute('tabindex')),
    ).toEqual(['0', '0']);
  });

  it('flags a missing default, a voice-only default and a shared number', async () => {
    const noDefault = sunrise();
    noDefault.numbers = noDefault.numbers.map(({ default: _d, ...n }) => n);
    const voiceDefault = sunrise();
    voiceDefault.numbers[0] = { number: N.main, sms: false, default: true, name: 'Main Office' };
    voiceDefault.users = voiceDefault.users.map((u) =>
      u.id === 'usr-raj-patel' ? { ...u, number: N.jane } : u,
    );
    const views: Record<string, NumbersStaffView> = {
      'loc-a': sunriseView(noDefault),
      'loc-b': sunriseView(voiceDefault),
    };
    const { api, calls } = fakeApi((id) => views[id] as NumbersStaffView);
    mounted = mount(<NumbersSection api={api} locations={LOCATIONS} />);
    await until(() => root().querySelector('table') !== null);
    const first = one(root(), '.numbers-problems > li');
    expect(text(first)).toBe(
      'No default number is set: a send that falls back to the default is refused (no sender number).',
    );
    // Sub-account-wide: nothing to link to.
    expect(first.querySelector('a')).toBeNull();

    const select = one<HTMLSelectElement>(root(), '#numbers-location');
    expect(text(one(root(), 'label[for="numbers-location"]'))).toBe('Sub-account');
    act(() => {
      select.value = 'loc-b';
      select.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await until(() => text(root().querySelector('caption')) === 'Numbers of Harbour Physio');
    expect(calls).toEqual(['loc-a', 'loc-b']);
    const summary = [...root().querySelectorAll('.numbers-problems > li')].map((li) => text(li));
    expect(summary[0]).toBe(
      'The default number (415) 555-0101 is voice-only: a send that falls back to the default is refused (no sender number).',
    );
    expect(summary).toContain(
      '(415) 555-0102 is assigned to two people, Jane Doe and Raj Patel: the SMS of each go out from it, so contacts cannot tell them apart.',
    );
    const numberRows = rows(root().querySelector('table') as Element);
    expect(numberRows[0]?.[6]).toContain('is voice-only');
    expect(numberRows[1]?.[5]).toBe('Jane Doe, Raj Patel');
    expect(numberRows[1]?.[6]).toContain('assigned to two people');
  });

  it('says when there are no problems', async () => {
    const tidy = sunrise();
    tidy.users = tidy.users.filter((u) => ['usr-jane-doe', 'usr-raj-patel'].includes(u.id));
    const { api } = fakeApi(() => sunriseView(tidy));
    mounted = mount(<NumbersSection api={api} locations={LOCATIONS} />);
    await until(() => root().querySelector('table') !== null);
    expect(root().querySelector('.numbers-problems')).toBeNull();
    expect(text(mounted.container)).toContain('No problems found');
  });

  it('shows "Not synced yet" for a sub-account never synced', async () => {
    const { api } = fakeApi((locationId) => ({
      state: 'not-synced',
      locationId,
      message: 'Not synced yet: open Sender Lens options and sync this sub-account.',
    }));
    mounted = mount(<NumbersSection api={api} locations={LOCATIONS} />);
    await until(() => root().querySelector('.numbers-empty') !== null);
    expect(text(one(root(), '.numbers-empty h3'))).toBe('Not synced yet');
    expect(text(one(root(), '.numbers-empty'))).toContain('Sync Sunrise Dental');
    expect(root().querySelector('table')).toBeNull();
  });

  it('reads again after a new sync of the chosen sub-account', async () => {
    let synced = false;
    const { api, calls } = fakeApi((locationId) =>
      synced ? sunriseView() : { state: 'not-synced', locationId, message: 'Not synced yet.' },
    );
    const at = (lastSuccessAt: string | null) =>
      LOCATIONS.map((l) => ({ ...l, sync: { lastSuccessAt } }));
    mounted = mount(<NumbersSection api={api} locations={at(null)} />);
    await until(() => root().querySelector('.numbers-empty') !== null);
    synced = true;
    mounted.rerender(<NumbersSection api={api} locations={at(SYNCED_AT)} />);
    await until(() => root().querySelector('table') !== null);
    expect(calls).toEqual(['loc-a', 'loc-a']);
  });

  it('says so when there is no sub-account, and never asks', async () => {
    const { api, calls } = fakeApi(() => sunriseView());
    mounted = mount(<NumbersSection api={api} locations={[]} />);
    await settle();
    expect(text(mounted.container)).toContain('Add a sub-account under HighLevel');
    expect(root().querySelector('select')).toBeNull();
    expect(calls).toEqual([]);
  });

  it('shows empty tables as sentences, and errors with a way to try again', async () => {
    let fail = true;
    const { api, calls } = fakeApi(() => {
      if (fail) throw new Error('No answer from the background.');
      return buildNumbersView(
        'loc-a',
        { country: 'US', numbers: [], users: [], contacts: [], messages: [] },
        SYNCED_AT,
        NOW,
      );
    });
    mounted = mount(<NumbersSection api={api} locations={LOCATIONS} />);
    await until(() => root().querySelector('[role="alert"]') !== null);
    expect(text(one(root(), '[role="alert"]'))).toContain(
      'Could not read the numbers and staff: No answer from the background.',
    );
    fail = false;
    const retry = one<HTMLButtonElement>(root(), '[role="alert"] button');
    await act(async () => click(retry));
    await until(() => root().querySelector('.numbers-problems') !== null);
    expect(calls).toEqual(['loc-a', 'loc-a']);
    expect(text(mounted.container)).toContain('This sub-account has no numbers.');
    expect(text(mounted.container)).toContain('This sub-account has no staff in My Staff.');
    expect(root().querySelector('table')).toBeNull();
  });

  it('shows the background’s words for data it could not read', async () => {
    const { api } = fakeApi((locationId) => ({
      state: 'error',
      locationId,
      message:
        'Sender Lens could not read the synced data (snapshot.numbers[1].default); sync again.',
      syncedAt: SYNCED_AT,
    }));
    mounted = mount(<NumbersSection api={api} locations={LOCATIONS} />);
    await until(() => root().querySelector('[role="alert"]') !== null);
    expect(text(one(root(), '[role="alert"]'))).toContain('snapshot.numbers[1].default');
  });
});
