// @vitest-environment happy-dom
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CheckSection } from '../../components/options/CheckSection';
import {
  progressText,
  progressValue,
  syncLine,
  timeAgo,
  twilioSavedText,
} from '../../components/options/format';
import { HighLevelSection } from '../../components/options/HighLevelSection';
import { type AddStep, HostsSection } from '../../components/options/HostsSection';
import { IAmSection } from '../../components/options/IAmSection';
import { PopupStatus } from '../../components/options/PopupStatus';
import { SyncSection } from '../../components/options/SyncSection';
import { TwilioSection } from '../../components/options/TwilioSection';
import type { Outcome } from '../../components/options/types';
import type { LocationView, SyncView } from '../../lib/messaging/requests/settings';
import { click, type Mounted, mount, one, text } from './dom';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const minutesAgo = (m: number) => new Date(NOW - m * 60_000).toISOString();

let mounted: Mounted | undefined;
afterEach(() => {
  mounted?.unmount();
  mounted = undefined;
});

function fill(root: ParentNode, selector: string, value: string) {
  const input = one<HTMLInputElement>(root, selector);
  act(() => {
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

async function submit(root: ParentNode, selector = 'form') {
  await act(async () => {
    one(root, selector).dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
  });
}

async function press(el: Element) {
  await act(async () => {
    click(el);
  });
}

/** The input a label names, through its `for` or by wrapping it, as assistive tech finds it. */
function labelled(root: ParentNode, label: string): HTMLInputElement {
  const labels = [...root.querySelectorAll('label')].filter((l) => text(l) === label);
  const explicit = labels.find((l) => l.hasAttribute('for'));
  if (explicit) return one<HTMLInputElement>(root, `[id="${explicit.getAttribute('for')}"]`);
  if (labels[0]) return one<HTMLInputElement>(labels[0], 'input');
  throw new Error(`No label "${label}"`);
}

const BLOCKS = new Set(['DIV', 'P', 'LI', 'UL', 'BUTTON', 'LABEL', 'SECTION', 'PROGRESS']);

/** Text as a screen reader gets it: blocks apart, aria-hidden left out, whitespace collapsed. */
function shown(el: Element): string {
  const parts: string[] = [];
  const walk = (node: Node) => {
    if (node.nodeType === 3) parts.push(node.textContent ?? '');
    if (node.nodeType === 1 && (node as Element).getAttribute('aria-hidden') === 'true') return;
    const block = node.nodeType === 1 && BLOCKS.has((node as Element).tagName);
    if (block) parts.push(' ');
    for (const child of node.childNodes) walk(child);
    if (block) parts.push(' ');
  };
  walk(el);
  return parts.join('').replace(/\s+/g, ' ').trim();
}

const idle = (over: Partial<SyncView> = {}): SyncView => ({
  running: false,
  progress: null,
  lastSuccessAt: null,
  lastError: null,
  lastSync: null,
  interrupted: false,
  ...over,
});

const location = (over: Partial<LocationView> = {}): LocationView => ({
  locationId: 'loc-demo',
  name: 'Sunrise Dental',
  country: 'US',
  selectedForSync: true,
  hasData: false,
  token: { scope: 'location', hint: '••••abcd', savedAt: minutesAgo(10) },
  sync: idle(),
  ...over,
});

describe('format', () => {
  it('says how long ago in words', () => {
    expect(timeAgo(new Date(NOW - 10_000).toISOString(), NOW)).toBe('just now');
    expect(timeAgo(minutesAgo(3), NOW)).toBe('3 min ago');
    expect(timeAgo(minutesAgo(130), NOW)).toBe('2 h ago');
    expect(timeAgo(minutesAgo(26 * 60), NOW)).toBe('yesterday');
    expect(timeAgo(minutesAgo(4 * 24 * 60), NOW)).toBe('4 days ago');
    expect(timeAgo('2025-12-25T10:00:00Z', NOW)).toBe('on 25 Dec 2025');
  });

  it('describes sync progress by phase', () => {
    const messages = { phase: 'messages', items: 12_000, itemsTotal: null, pages: 12 } as const;
    expect(progressText({ ...messages, pagesTotal: 40 })).toBe('Page 12 of 40 · 12,000 messages');
    expect(progressText({ ...messages, pagesTotal: null })).toBe('Page 12 · 12,000 messages');
    expect(progressValue({ ...messages, pagesTotal: 40 })).toEqual({ value: 12, max: 40 });
    expect(progressValue({ ...messages, pagesTotal: null })).toBeNull();
    expect(
      progressText({ phase: 'numbers', items: 0, itemsTotal: null, pages: 0, pagesTotal: null }),
    ).toBe('Reading numbers…');
    expect(progressText(null)).toBe('Starting…');
    const saving = { phase: 'committing', items: 1200, itemsTotal: 3000, pages: 0 } as const;
    expect(progressText({ ...saving, pagesTotal: null })).toBe('Saving contacts · 1,200 of 3,000');
    expect(progressValue({ ...saving, pagesTotal: null })).toEqual({ value: 1200, max: 3000 });
    expect(syncLine(idle({ lastSuccessAt: minutesAgo(3) }), NOW)).toBe('Synced 3 min ago');
    expect(syncLine(idle(), NOW)).toBe('Never synced');
  });

  it('shows saved Twilio credentials as masks only', () => {
    expect(
      twilioSavedText({
        kind: 'auth-token',
        accountSid: 'AC…4f2a',
        secret: '••••1234',
        savedAt: minutesAgo(1),
      }),
    ).toBe('Saved: AC…4f2a, token ••••1234');
  });
});

describe('TwilioSection', () => {
  const saved = {
    kind: 'auth-token' as const,
    accountSid: 'AC…4f2a',
    secret: '••••1234',
    savedAt: minutesAgo(5),
  };

  it('shows what is saved, with a Remove button named for screen readers', async () => {
    const onRemove = vi.fn(async (): Promise<Outcome> => ({ ok: true }));
    mounted = mount(<TwilioSection saved={saved} onSave={vi.fn()} onRemove={onRemove} />);
    expect(text(one(mounted.root, '.saved'))).toContain('Saved: AC…4f2a, token ••••1234');
    const remove = one(mounted.root, '.saved button');
    expect(text(remove)).toBe('Remove the Twilio credentials');
    await press(remove);
    expect(onRemove).toHaveBeenCalledOnce();
    expect(text(one(mounted.root, '[role="status"]'))).toBe('Twilio credentials removed.');
  });

  it('switches between Auth Token and API key fields, each labelled', () => {
    mounted = mount(<TwilioSection saved={null} onSave={vi.fn()} onRemove={vi.fn()} />);
    expect(labelled(mounted.root, 'Auth Token').type).toBe('password');
    expect(mounted.root.querySelector('#apiKeySid')).toBeNull();
    const apiKey = one<HTMLInputElement>(mounted.root, 'input[value="api-key"]');
    act(() => {
      apiKey.checked = true;
      apiKey.dispatchEvent(new Event('change', { bubbles: true }));
    });
    expect(labelled(mounted.root, 'API key SID').type).toBe('text');
    expect(labelled(mounted.root, 'API key secret').type).toBe('password');
    expect(mounted.root.querySelector('#authToken')).toBeNull();
    expect(text(one(mounted.root, 'legend'))).toBe('Sign in with');
  });

  it('keeps what was typed when a save fails, and marks the field it names', async () => {
    const onSave = vi.fn(
      async (): Promise<Outcome> => ({
        ok: false,
        field: 'accountSid',
        message: 'expected "AC" followed by 32 hexadecimal characters',
      }),
    );
    mounted = mount(<TwilioSection saved={null} onSave={onSave} onRemove={vi.fn()} />);
    fill(mounted.root, '#accountSid', 'AC123');
    fill(mounted.root, '#authToken', 'f00dfacecafe1234beefdead98765432');
    await submit(mounted.root);
    expect(onSave).toHaveBeenCalledWith({
      kind: 'auth-token',
      accountSid: 'AC123',
      authToken: 'f00dfacecafe1234beefdead98765432',
    });
    const sid = labelled(mounted.root, 'Account SID');
    expect(sid.value).toBe('AC123');
    expect(one<HTMLInputElement>(mounted.root, '#authToken').value).toBe(
      'f00dfacecafe1234beefdead98765432',
    );
    expect(sid.getAttribute('aria-invalid')).toBe('true');
    const described = (sid.getAttribute('aria-describedby') ?? '').split(' ');
    expect(described).toContain('accountSid-error');
    expect(text(one(mounted.root, '#accountSid-error'))).toBe(
      'Expected "AC" followed by 32 hexadecimal characters.',
    );
    expect(text(one(mounted.root, '[role="alert"]'))).toBe(
      'Account SID: expected "AC" followed by 32 hexadecimal characters',
    );
    // Typing in the field clears its error.
    fill(mounted.root, '#accountSid', 'AC1234');
    expect(mounted.root.querySelector('[role="alert"]')).toBeNull();
  });

  it('clears the secrets after a successful save', async () => {
    const onSave = vi.fn(async (): Promise<Outcome> => ({ ok: true }));
    mounted = mount(<TwilioSection saved={null} onSave={onSave} onRemove={vi.fn()} />);
    fill(mounted.root, '#accountSid', `AC${'a'.repeat(32)}`);
    fill(mounted.root, '#authToken', 'b'.repeat(32));
    await submit(mounted.root);
    expect(one<HTMLInputElement>(mounted.root, '#accountSid').value).toBe('');
    expect(one<HTMLInputElement>(mounted.root, '#authToken').value).toBe('');
    expect(text(one(mounted.root, '[role="status"]'))).toBe(
      'Twilio credentials saved. Check the connection below.',
    );
  });
});

describe('HighLevelSection', () => {
  it('lists sub-accounts with masked tokens and removes one', async () => {
    const onRemoveLocation = vi.fn(async (): Promise<Outcome> => ({ ok: true }));
    mounted = mount(
      <HighLevelSection
        locations={[location(), location({ locationId: 'loc-2', name: undefined, token: null })]}
        agencyToken={null}
        onSave={vi.fn()}
        onRemoveLocation={onRemoveLocation}
        onRemoveAgencyToken={vi.fn()}
      />,
    );
    const items = [
      ...mounted.root.querySelectorAll('ul[aria-label="Connected sub-accounts"] > li'),
    ];
    expect(items.map(shown)).toEqual([
      'Sunrise Dental loc-demo Token ••••abcd Remove Sunrise Dental',
      'loc-2 No token: sync cannot read this sub-account Remove loc-2',
    ]);
    await press(one(items[0] as Element, 'button'));
    expect(onRemoveLocation).toHaveBeenCalledWith('loc-demo');
    expect(text(one(mounted.root, '[role="status"]'))).toBe(
      'Sunrise Dental removed, with its token and synced data.',
    );
  });

  it('saves a token, as the agency token when ticked', async () => {
    const onSave = vi.fn(async (): Promise<Outcome> => ({ ok: true }));
    mounted = mount(
      <HighLevelSection
        locations={[]}
        agencyToken={null}
        onSave={onSave}
        onRemoveLocation={vi.fn()}
        onRemoveAgencyToken={vi.fn()}
      />,
    );
    fill(mounted.root, '#locationId', 'loc-demo');
    fill(mounted.root, '#token', 'pit-1234abcd-12ab-34cd');
    const agency = labelled(
      mounted.root,
      'This is an agency token: use it for every sub-account without its own',
    );
    act(() => {
      agency.checked = true;
      agency.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await submit(mounted.root);
    expect(onSave).toHaveBeenCalledWith({
      locationId: 'loc-demo',
      token: 'pit-1234abcd-12ab-34cd',
      agency: true,
    });
    expect(one<HTMLInputElement>(mounted.root, '#token').value).toBe('');
  });
});

describe('CheckSection', () => {
  it('shows each service’s answer, good and bad, in words', async () => {
    const onCheck = vi.fn(async () => ({
      twilio: { ok: true, message: 'Connected: 12 numbers, 9 can send SMS' },
      highLevel: [
        {
          locationId: 'loc-demo',
          name: 'Sunrise Dental',
          ok: false,
          message: 'HighLevel did not accept the token (HTTP 401).',
        },
      ],
    }));
    mounted = mount(<CheckSection onCheck={onCheck} />);
    await press(one(mounted.root, 'button'));
    const lines = [...mounted.root.querySelectorAll('.results li')];
    expect(lines.map(shown)).toEqual([
      'Twilio: Connected: 12 numbers, 9 can send SMS',
      'HighLevel (Sunrise Dental): HighLevel did not accept the token (HTTP 401).',
    ]);
    expect(lines.map((l) => l.className)).toEqual(['ok', 'bad']);
    expect(lines.map((l) => text(one(l, '.icon[aria-hidden="true"]')))).toEqual(['✓', '✕']);
  });
});

describe('SyncSection', () => {
  it('shows a running sync as a progress bar with its page count', () => {
    const progress = {
      phase: 'messages',
      items: 12_000,
      itemsTotal: null,
      pages: 12,
      pagesTotal: 40,
    } as const;
    mounted = mount(
      <SyncSection
        locations={[location({ sync: idle({ running: true, progress }) })]}
        now={NOW}
        busy={false}
        notice={null}
        onSelect={vi.fn()}
        onSyncNow={vi.fn()}
      />,
    );
    const bar = one<HTMLProgressElement>(mounted.root, 'progress');
    expect(bar.getAttribute('value')).toBe('12');
    expect(bar.getAttribute('max')).toBe('40');
    expect(bar.getAttribute('aria-label')).toBe('Sync progress of Sunrise Dental');
    expect(text(one(mounted.root, '.sync-state'))).toBe('Syncing: Page 12 of 40 · 12,000 messages');
    const button = one<HTMLButtonElement>(mounted.root, '.actions button');
    expect(text(button)).toBe('Syncing…');
    expect(button.disabled).toBe(true);
  });

  it('shows the last success and a newer error together, the error as an alert', () => {
    mounted = mount(
      <SyncSection
        locations={[
          location({
            hasData: true,
            sync: idle({
              lastSuccessAt: minutesAgo(3),
              lastError: { message: 'Twilio did not accept the credentials.', at: minutesAgo(1) },
              lastSync: {
                kind: 'full',
                startedAt: minutesAgo(4),
                finishedAt: minutesAgo(3),
                messages: 12_000,
                contacts: 9,
              },
            }),
          }),
        ]}
        now={NOW}
        busy={false}
        notice={null}
        onSelect={vi.fn()}
        onSyncNow={vi.fn()}
      />,
    );
    expect(text(one(mounted.root, '.sync-state'))).toBe(
      'Synced 3 min ago · 12,000 messages, 9 contacts',
    );
    expect(one(mounted.root, 'time').getAttribute('datetime')).toBe(minutesAgo(3));
    expect(text(one(mounted.root, '[role="alert"]'))).toBe(
      'Last sync failed 1 min ago: Twilio did not accept the credentials.',
    );
    expect(mounted.root.querySelector('progress')).toBeNull();
  });

  it('selects sub-accounts and syncs only when one is selected', async () => {
    const onSelect = vi.fn();
    const onSyncNow = vi.fn();
    mounted = mount(
      <SyncSection
        locations={[location({ selectedForSync: false })]}
        now={NOW}
        busy={false}
        notice="Save your Twilio credentials before syncing."
        onSelect={onSelect}
        onSyncNow={onSyncNow}
      />,
    );
    const button = one<HTMLButtonElement>(mounted.root, '.actions button');
    expect(button.disabled).toBe(true);
    expect(text(one(mounted.root, '#sync-none'))).toBe('Select at least one sub-account.');
    expect(text(one(mounted.root, '[role="alert"]'))).toBe(
      'Save your Twilio credentials before syncing.',
    );
    await press(labelled(mounted.root, 'Sunrise Dental loc-demo'));
    expect(onSelect).toHaveBeenCalledWith('loc-demo', true);

    mounted.rerender(
      <SyncSection
        locations={[location()]}
        now={NOW}
        busy={false}
        notice={null}
        onSelect={onSelect}
        onSyncNow={onSyncNow}
      />,
    );
    expect(button.disabled).toBe(false);
    await press(button);
    expect(onSyncNow).toHaveBeenCalledOnce();
  });

  it('points Sync now only at descriptions that are rendered', () => {
    const describedBy = (locations: ReturnType<typeof location>[]) => {
      mounted?.unmount();
      const shown = mount(
        <SyncSection
          locations={locations}
          now={NOW}
          busy={false}
          notice={null}
          onSelect={vi.fn()}
          onSyncNow={vi.fn()}
        />,
      );
      mounted = shown;
      const ids = one(shown.root, '.actions button').getAttribute('aria-describedby');
      return (ids ?? '')
        .split(' ')
        .filter(Boolean)
        .map((id) => text(one(shown.root, `#${id}`)));
    };
    expect(describedBy([])).toEqual(['Add a sub-account under HighLevel first.']);
    expect(describedBy([location({ selectedForSync: false })])).toEqual([
      'Select at least one sub-account.',
    ]);
    expect(describedBy([location()])).toEqual([]);
  });
});

describe('IAmSection', () => {
  const locations = [
    { ...location(), locationId: 'loc-a', name: 'Sunrise Dental' },
    { ...location(), locationId: 'loc-b', name: 'Harbor Vets' },
  ];

  it("shows each sub-account's choice, and one whose user left My Staff", () => {
    mounted = mount(
      <IAmSection
        locations={locations}
        choices={[
          { locationId: 'loc-a', userId: 'usr-jane', name: 'Jane Doe' },
          { locationId: 'loc-c', userId: 'usr-gone', name: null },
        ]}
        onClear={vi.fn()}
      />,
    );
    expect([...mounted.root.querySelectorAll('li')].map(shown)).toEqual([
      'Sunrise Dental You are Jane Doe Clear who you are in Sunrise Dental',
      'loc-c You chose usr-gone, who is not in the synced My Staff Clear who you are in loc-c',
    ]);
  });

  it('clears a choice and says what happened, or why not', async () => {
    const onClear = vi
      .fn<(locationId: string) => Promise<Outcome>>()
      .mockResolvedValueOnce({ ok: false, message: 'Sender Lens is not responding.' })
      .mockResolvedValueOnce({ ok: true });
    mounted = mount(
      <IAmSection
        locations={locations}
        choices={[{ locationId: 'loc-b', userId: 'usr-raj', name: 'Raj Patel' }]}
        onClear={onClear}
      />,
    );
    await press(one(mounted.root, 'li button'));
    expect(onClear).toHaveBeenCalledWith('loc-b');
    expect(text(one(mounted.root, '[role="alert"]'))).toBe('Sender Lens is not responding.');
    await press(one(mounted.root, 'li button'));
    expect(mounted.root.querySelector('[role="alert"]')).toBeNull();
    expect(text(one(mounted.root, '[role="status"]'))).toBe(
      'Forgot who you are in Harbor Vets; its pages will offer "I am …" again.',
    );
  });

  it('says when there is nothing chosen, and when the choices could not be read', () => {
    mounted = mount(<IAmSection locations={locations} choices={[]} onClear={vi.fn()} />);
    expect(text(mounted.container)).toContain('No choices');
    mounted.rerender(
      <IAmSection
        locations={locations}
        choices="Sender Lens is not responding."
        onClear={vi.fn()}
      />,
    );
    expect(text(one(mounted.root, '[role="alert"]'))).toBe('Sender Lens is not responding.');
  });
});

describe('HostsSection', () => {
  it('asks for the domain inside the submit event, then shows the result', async () => {
    let resolve: (outcome: Outcome) => void = () => {};
    const onAdd = vi.fn(() => new Promise<Outcome>((r) => (resolve = r)));
    mounted = mount(<HostsSection hosts={[]} onAdd={onAdd} onRemove={vi.fn()} />);
    fill(mounted.root, '#host', 'app.myagency.com');
    const form = one(mounted.root, 'form');
    act(() => {
      form.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
      // Still inside the event: the permission prompt needs this.
      expect(onAdd).toHaveBeenCalledWith('app.myagency.com', expect.any(Function));
    });
    await act(async () => resolve({ ok: false, message: 'Access was not allowed.' }));
    const field = labelled(mounted.root, 'Domain');
    expect(field.value).toBe('app.myagency.com');
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(text(one(mounted.root, '[role="alert"]'))).toBe('Access was not allowed.');
  });

  it('says it waits for the browser while the prompt is open, and frees the button after', async () => {
    let resolve: (outcome: Outcome) => void = () => {};
    const onAdd = vi.fn((_typed: string, step: (step: AddStep) => void) => {
      step('asking');
      return new Promise<Outcome>((r) => (resolve = r));
    });
    mounted = mount(<HostsSection hosts={[]} onAdd={onAdd} onRemove={vi.fn()} />);
    fill(mounted.root, '#host', 'app.myagency.com');
    await submit(mounted.root);
    const button = one<HTMLButtonElement>(mounted.root, 'button[type="submit"]');
    expect(text(button)).toBe('Waiting for you to allow access…');
    expect(button.disabled).toBe(true);
    expect(text(one(mounted.root, '[role="status"]'))).toBe('Waiting for you to allow access…');
    await act(async () =>
      resolve({ ok: false, message: "No answer from the browser's permission prompt; try again." }),
    );
    expect(text(button)).toBe('Add domain');
    expect(button.disabled).toBe(false);
    expect(text(one(mounted.root, '[role="status"]'))).toBe('');
    expect(text(one(mounted.root, '#host-error'))).toBe(
      "No answer from the browser's permission prompt; try again.",
    );
    // Usable again: a second try asks again.
    await submit(mounted.root);
    expect(onAdd).toHaveBeenCalledTimes(2);
  });

  it('says "Adding…" once access is granted and the domain is being registered', async () => {
    let resolve: (outcome: Outcome) => void = () => {};
    const onAdd = vi.fn((_typed: string, step: (step: AddStep) => void) => {
      step('asking');
      step('adding');
      return new Promise<Outcome>((r) => (resolve = r));
    });
    mounted = mount(<HostsSection hosts={[]} onAdd={onAdd} onRemove={vi.fn()} />);
    fill(mounted.root, '#host', 'app.myagency.com');
    await submit(mounted.root);
    const button = one<HTMLButtonElement>(mounted.root, 'button[type="submit"]');
    expect(text(button)).toBe('Adding…');
    await act(async () => resolve({ ok: true, message: 'Added.' }));
    expect(text(button)).toBe('Add domain');
    expect(text(one(mounted.root, '[role="status"]'))).toBe('Added.');
  });

  it('lists domains with their state and removes one', async () => {
    const onRemove = vi.fn(async (): Promise<Outcome> => ({ ok: true }));
    const onAdd = vi.fn(async (): Promise<Outcome> => ({ ok: true }));
    mounted = mount(
      <HostsSection
        hosts={[
          { origin: 'https://app.myagency.com', granted: true, registered: true },
          { origin: 'https://crm.other.com', granted: false, registered: false },
        ]}
        onAdd={onAdd}
        onRemove={onRemove}
      />,
    );
    const items = [...mounted.root.querySelectorAll('li')];
    expect(items.map(shown)).toEqual([
      'https://app.myagency.com Active Remove https://app.myagency.com',
      'https://crm.other.com No access: the browser permission was taken away Grant access to https://crm.other.com Remove https://crm.other.com',
    ]);
    await press(one(items[1] as Element, 'button'));
    expect(onAdd).toHaveBeenCalledWith('https://crm.other.com', expect.any(Function));
    await press(one(items[0] as Element, 'button.danger'));
    expect(onRemove).toHaveBeenCalledWith('https://app.myagency.com');
  });

  it('says so when the browser cannot add domains', () => {
    mounted = mount(<HostsSection hosts={null} onAdd={vi.fn()} onRemove={vi.fn()} />);
    expect(text(mounted.container)).toContain('This browser cannot add domains while running.');
    expect(mounted.root.querySelector('form')).toBeNull();
  });
});

describe('PopupStatus', () => {
  it('lists the synced sub-accounts, keeps a slot for the page status, and opens settings', async () => {
    const onOpenOptions = vi.fn();
    mounted = mount(
      <PopupStatus
        locations={[
          location({ sync: idle({ lastSuccessAt: minutesAgo(3) }) }),
          location({ locationId: 'loc-2', name: 'Not synced', selectedForSync: false }),
        ]}
        error={null}
        now={NOW}
        onOpenOptions={onOpenOptions}
      >
        <p id="page-status">On a conversation</p>
      </PopupStatus>,
    );
    expect([...mounted.root.querySelectorAll('li')].map(shown)).toEqual([
      'Sunrise Dental Synced 3 min ago',
    ]);
    expect(text(one(mounted.root, '#page-status'))).toBe('On a conversation');
    await press(one(mounted.root, 'button'));
    expect(onOpenOptions).toHaveBeenCalledOnce();
  });
});
