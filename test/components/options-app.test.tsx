// @vitest-environment happy-dom
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type OptionsApi, OptionsApp } from '../../entrypoints/options/App';
import { MessagingError } from '../../lib/messaging/client';
import type { LocationView, SettingsView, SyncView } from '../../lib/messaging/requests/settings';
import { click, type Mounted, mount, one, text } from './dom';

let mounted: Mounted | undefined;
afterEach(() => {
  mounted?.unmount();
  mounted = undefined;
});

const NOW = Date.parse('2026-03-01T12:00:00Z');
const SUB = `AC${'5'.repeat(28)}1234`;

const idle: SyncView = {
  running: false,
  progress: null,
  lastSuccessAt: null,
  lastError: null,
  lastSync: null,
  interrupted: false,
};

const demo = (): LocationView => ({
  locationId: 'loc-demo',
  name: 'Sunrise Dental',
  country: 'US',
  selectedForSync: false,
  hasData: false,
  token: { scope: 'location', hint: '••••abcd', savedAt: new Date(NOW).toISOString() },
  sync: idle,
});

/** A background that answers from memory and records what it was sent. */
class FakeBackground {
  sent: { type: string; payload: unknown }[] = [];
  permissionAsked: string[] = [];
  grant = true;
  chosen: { locationId: string; userId: string; name: string | null }[] = [];
  /** When set, the permission prompt answers with this promise instead (one that never settles: unanswered). */
  prompt: Promise<boolean> | null = null;
  /** sync-status answers, one per poll, the last repeated. */
  statuses: SyncView[] = [];
  settings: SettingsView = {
    twilio: null,
    agencyToken: null,
    locations: [demo()],
    hosts: [],
    testMode: false,
  };

  api: OptionsApi = {
    send: (async (type: string, sent: unknown) => {
      this.sent.push({ type, payload: sent });
      // The page builds payloads from typed code; here only their fields are read.
      const payload = sent as { locationId: string; selectedForSync: boolean; origin: string };
      switch (type) {
        case 'settings-get':
          return structuredClone(this.settings);
        case 'twilio-save':
          this.settings.twilio = {
            kind: 'auth-token',
            accountSid: 'AC…4f2a',
            secret: '••••1234',
            savedAt: new Date(NOW).toISOString(),
          };
          return structuredClone(this.settings);
        case 'twilio-accounts':
          return [
            { sid: `AC${'a'.repeat(32)}`, friendlyName: 'Agency', status: 'active', main: true },
            { sid: SUB, friendlyName: 'Sunrise Dental', status: 'active', main: false },
          ];
        case 'twilio-account-set': {
          const { accountSid } = sent as { accountSid?: string };
          for (const l of this.settings.locations) {
            if (l.locationId !== payload.locationId) continue;
            if (accountSid === undefined) delete l.twilioAccountSid;
            else l.twilioAccountSid = accountSid;
          }
          return structuredClone(this.settings);
        }
        case 'location-set':
          for (const l of this.settings.locations) {
            if (l.locationId === payload.locationId) l.selectedForSync = payload.selectedForSync;
          }
          return structuredClone(this.settings);
        case 'sync-now':
          return { ...idle, running: true };
        case 'sync-status': {
          const next = this.statuses.length > 1 ? this.statuses.shift() : this.statuses[0];
          if (next && !next.running) {
            for (const l of this.settings.locations) l.sync = next;
          }
          return next;
        }
        // The send sections load on their own once the page shows.
        case 'send-settings-get':
          return { omitBodies: false, routes: {} };
        case 'send-log':
          return { entries: [] };
        case 'i-am-list':
          return structuredClone(this.chosen);
        case 'i-am-clear':
          this.chosen = this.chosen.filter((c) => c.locationId !== payload.locationId);
          return structuredClone(this.chosen);
        case 'numbers-staff':
          return {
            state: 'not-synced',
            locationId: payload.locationId,
            message: 'Not synced yet.',
          };
        case 'host-add':
          this.settings.hosts = [{ origin: payload.origin, granted: true, registered: true }];
          return this.settings.hosts;
        case 'settings-reset':
          this.settings = {
            twilio: null,
            agencyToken: null,
            locations: [],
            hosts: [],
            testMode: false,
          };
          return { deleted: ['1 sub-account with their synced data'] };
        default:
          throw new MessagingError('unknown-type', `Unknown request type "${type}".`);
      }
    }) as OptionsApi['send'],
    requestPermission: async (pattern) => {
      this.permissionAsked.push(pattern);
      return this.prompt ?? this.grant;
    },
  };

  types() {
    return this.sent.map((s) => s.type);
  }

  /** What the page sent, less the reads of the send, numbers and "I am …" sections. */
  settingsTypes() {
    const reads = new Set(['send-log', 'send-settings-get', 'i-am-list', 'numbers-staff']);
    return this.types().filter((t) => !reads.has(t));
  }
}

/** Lets pending promises and short timers run. */
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

function fill(selector: string, value: string) {
  const input = one<HTMLInputElement>(mounted?.root as ParentNode, selector);
  act(() => {
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

function buttonNamed(name: string): HTMLButtonElement {
  const found = [...(mounted?.root.querySelectorAll('button') ?? [])].find((b) => text(b) === name);
  if (!found) throw new Error(`No button "${name}"`);
  return found;
}

async function start(background: FakeBackground) {
  mounted = mount(<OptionsApp api={background.api} pollMs={5} clock={() => NOW} />);
  await until(() => mounted?.root.querySelector('#twilio-heading') !== null);
}

describe('OptionsApp', () => {
  it('names a mistyped field at once and sends nothing', async () => {
    const background = new FakeBackground();
    await start(background);
    fill('#accountSid', 'AC12');
    fill('#authToken', 'not-a-token');
    await act(async () => click(buttonNamed('Save Twilio credentials')));
    await settle();
    expect(background.settingsTypes()).toEqual(['settings-get']);
    expect(text(one(mounted?.root as ParentNode, '[role="alert"]'))).toBe(
      'Account SID: expected "AC" followed by 32 hexadecimal characters, as shown in the Twilio Console',
    );
    expect(one<HTMLInputElement>(mounted?.root as ParentNode, '#authToken').value).toBe(
      'not-a-token',
    );
  });

  it('saves good credentials and shows the mask the background answers', async () => {
    const background = new FakeBackground();
    await start(background);
    fill('#accountSid', ` AC${'0a'.repeat(16)} `);
    fill('#authToken', 'f'.repeat(32));
    await act(async () => click(buttonNamed('Save Twilio credentials')));
    await until(() => mounted?.root.querySelector('.saved') !== null);
    expect(background.sent.find((s) => s.type === 'twilio-save')).toEqual({
      type: 'twilio-save',
      // Sent as typed; the background trims, as the schema says.
      payload: {
        kind: 'auth-token',
        accountSid: ` AC${'0a'.repeat(16)} `,
        authToken: 'f'.repeat(32),
      },
    });
    expect(text(one(mounted?.root as ParentNode, '.saved'))).toContain(
      'Saved: AC…4f2a, token ••••1234',
    );
  });

  it('selects a sub-account, syncs it, polls until done and shows the result', async () => {
    const background = new FakeBackground();
    await start(background);
    await act(async () => click(one(mounted?.root as ParentNode, '#sync-loc-demo')));
    await until(() => !buttonNamed('Sync now').disabled);
    const progress = {
      phase: 'messages',
      items: 500,
      itemsTotal: null,
      pages: 1,
      pagesTotal: 2,
    } as const;
    background.statuses = [
      { ...idle, running: true, progress },
      { ...idle, running: true, progress: { ...progress, pages: 2, items: 1000 } },
      { ...idle, lastSuccessAt: new Date(NOW).toISOString() },
    ];
    await act(async () => click(buttonNamed('Sync now')));
    await until(() => mounted?.root.querySelector('progress') !== null);
    expect(background.sent.find((s) => s.type === 'sync-now')?.payload).toEqual({
      locationId: 'loc-demo',
      kind: 'full',
    });
    await until(() => text(one(mounted?.root as ParentNode, '.sync-state')) === 'Synced just now');
    expect(mounted?.root.querySelector('progress')).toBeNull();
    const polls = background.types().filter((t) => t === 'sync-status');
    expect(polls.length).toBeGreaterThanOrEqual(3);
    // Once done, polling stops.
    await settle(30);
    expect(background.types().filter((t) => t === 'sync-status')).toHaveLength(polls.length);
  });

  it("lists the Twilio subaccounts, checks a typed SID here, and saves a sub-account's choice", async () => {
    const background = new FakeBackground();
    background.settings.twilio = {
      kind: 'auth-token',
      accountSid: 'AC…aaaa',
      secret: '••••1234',
      savedAt: new Date(NOW).toISOString(),
    };
    await start(background);
    const root = mounted?.root as ParentNode;
    const select = () => one<HTMLSelectElement>(root, '#twilio-account-loc-demo');
    const form = () => one(root, '.twilio-account-row form');
    const pick = (value: string) =>
      act(() => {
        select().value = value;
        select().dispatchEvent(new Event('change', { bubbles: true }));
      });

    pick('typed');
    fill('#twilio-account-loc-demo-sid', 'AC12');
    await act(async () => {
      form().dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    });
    expect(background.settingsTypes()).toEqual(['settings-get']);
    expect(text(one(root, '#twilio-account-loc-demo-sid-error'))).toBe(
      'Expected "AC" followed by 32 hexadecimal characters, as shown in the Twilio Console.',
    );

    await act(async () => click(buttonNamed('List subaccounts from Twilio')));
    await until(() => [...select().options].some((o) => o.value === SUB));
    pick(SUB);
    await act(async () => {
      form().dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    });
    await until(() => background.types().includes('twilio-account-set'));
    expect(background.sent.find((s) => s.type === 'twilio-account-set')?.payload).toEqual({
      locationId: 'loc-demo',
      accountSid: SUB,
    });
    await until(() => select().value === SUB);

    pick('');
    await act(async () => {
      form().dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    });
    await until(() => background.types().filter((t) => t === 'twilio-account-set').length === 2);
    expect(background.sent.at(-1)?.payload).toEqual({ locationId: 'loc-demo' });
  });

  it('asks the browser for the domain before anything else, then registers it', async () => {
    const background = new FakeBackground();
    await start(background);
    fill('#host', 'https://app.myagency.com/v2/location/abc');
    const form = one(mounted?.root as ParentNode, '#host').closest('form') as HTMLFormElement;
    act(() => {
      form.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
      // Within the same event as the user's click.
      expect(background.permissionAsked).toEqual(['https://app.myagency.com/*']);
    });
    await until(() => background.types().includes('host-add'));
    expect(background.sent.at(-1)).toEqual({
      type: 'host-add',
      payload: { origin: 'https://app.myagency.com' },
    });
    await until(
      () => text(mounted?.root.querySelector('[aria-label="White-label domains"]')) !== '',
    );
    expect(text(one(mounted?.root as ParentNode, '[aria-label="White-label domains"]'))).toContain(
      'https://app.myagency.com',
    );
  });

  it('says so when the browser permission is refused, and registers nothing', async () => {
    const background = new FakeBackground();
    background.grant = false;
    await start(background);
    fill('#host', 'app.myagency.com');
    await act(async () => click(buttonNamed('Add domain')));
    await until(() => mounted?.root.querySelector('#host-error') !== null);
    expect(text(one(mounted?.root as ParentNode, '#host-error'))).toBe(
      'Access to app.myagency.com was not allowed, so Sender Lens cannot work there.',
    );
    expect(background.types()).not.toContain('host-add');
    const button = buttonNamed('Add domain');
    expect(button.disabled).toBe(false);
  });

  describe('when the permission prompt is not answered', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    const submitHost = async () => {
      fill('#host', 'app.myagency.com');
      await act(async () => click(buttonNamed('Add domain')));
    };
    const submitButton = () =>
      one<HTMLButtonElement>(mounted?.root as ParentNode, '#hosts-heading ~ form button');

    it('says it is waiting, gives up after a minute, and lets the user try again', async () => {
      const background = new FakeBackground();
      background.prompt = new Promise<boolean>(() => {});
      await start(background);
      vi.useFakeTimers();
      await submitHost();
      expect(text(submitButton())).toBe('Waiting for you to allow access…');
      expect(submitButton().disabled).toBe(true);
      await act(async () => {
        await vi.advanceTimersByTimeAsync(59_000);
      });
      expect(text(submitButton())).toBe('Waiting for you to allow access…');
      await act(async () => {
        await vi.advanceTimersByTimeAsync(1_000);
      });
      expect(text(one(mounted?.root as ParentNode, '#host-error'))).toBe(
        "No answer from the browser's permission prompt; try again.",
      );
      expect(text(submitButton())).toBe('Add domain');
      expect(submitButton().disabled).toBe(false);
      expect(background.types()).not.toContain('host-add');
      // A second try asks the browser again.
      background.prompt = null;
      await act(async () => click(buttonNamed('Add domain')));
      await act(async () => {
        await vi.advanceTimersByTimeAsync(0);
      });
      expect(background.permissionAsked).toEqual([
        'https://app.myagency.com/*',
        'https://app.myagency.com/*',
      ]);
      expect(background.types()).toContain('host-add');
    });

    it('still adds the domain when Allow comes after the page stopped waiting', async () => {
      const background = new FakeBackground();
      let allow: (granted: boolean) => void = () => {};
      background.prompt = new Promise<boolean>((resolve) => (allow = resolve));
      await start(background);
      vi.useFakeTimers();
      await submitHost();
      await act(async () => {
        await vi.advanceTimersByTimeAsync(60_000);
      });
      expect(background.types()).not.toContain('host-add');
      await act(async () => {
        allow(true);
        await vi.advanceTimersByTimeAsync(0);
      });
      expect(background.types()).toContain('host-add');
      expect(
        text(one(mounted?.root as ParentNode, '[aria-label="White-label domains"]')),
      ).toContain('https://app.myagency.com');
    });

    it('answers at once when the prompt is refused or granted before the timeout', async () => {
      const background = new FakeBackground();
      let answer: (granted: boolean) => void = () => {};
      background.prompt = new Promise<boolean>((resolve) => (answer = resolve));
      await start(background);
      vi.useFakeTimers();
      await submitHost();
      await act(async () => {
        await vi.advanceTimersByTimeAsync(10_000);
        answer(true);
        await vi.advanceTimersByTimeAsync(0);
      });
      expect(background.types()).toContain('host-add');
      expect(text(one(mounted?.root as ParentNode, '#hosts-heading ~ [role="status"]'))).toBe(
        'https://app.myagency.com added. Reload its open tabs to see Sender Lens there.',
      );
      // The timer was cleared: nothing changes a minute later.
      await act(async () => {
        await vi.advanceTimersByTimeAsync(60_000);
      });
      expect(mounted?.root.querySelector('#host-error')).toBeNull();
    });
  });

  it('lists the "I am …" choices by sub-account name and clears one', async () => {
    const background = new FakeBackground();
    background.chosen = [{ locationId: 'loc-demo', userId: 'usr-jane', name: 'Jane Doe' }];
    await start(background);
    const list = () => mounted?.root.querySelector('[aria-label="I am choices"]');
    await until(() => list() != null);
    expect(text(list())).toContain('Sunrise Dental');
    expect(text(list())).toContain('You are Jane Doe');
    await act(async () => click(buttonNamed('Clear who you are in Sunrise Dental')));
    await until(() => background.types().includes('i-am-clear'));
    expect(background.sent.find((s) => s.type === 'i-am-clear')?.payload).toEqual({
      locationId: 'loc-demo',
    });
    await until(() => list() == null);
    expect(text(one(mounted?.root as ParentNode, '#i-am-heading ~ [role="status"]'))).toBe(
      'Forgot who you are in Sunrise Dental; its pages will offer "I am …" again.',
    );
  });

  it('mounts the send settings and the send log with the sub-accounts it knows', async () => {
    const background = new FakeBackground();
    await start(background);
    await until(() => mounted?.root.querySelector('#send-settings-heading') !== null);
    await until(() => background.types().includes('send-log'));
    expect(background.sent.find((s) => s.type === 'send-log')?.payload).toEqual({ limit: 50 });
    expect(background.types()).toContain('send-settings-get');
    await until(() => mounted?.root.querySelector('fieldset.route-choice') !== null);
    expect(text(one(mounted?.root as ParentNode, 'fieldset.route-choice legend'))).toBe(
      'Sunrise Dental loc-demo',
    );
    const filter = one<HTMLSelectElement>(mounted?.root as ParentNode, '#send-log-location');
    expect([...filter.options].map((o) => text(o))).toEqual(['All sub-accounts', 'Sunrise Dental']);
  });

  it('refuses http domains without asking the browser', async () => {
    const background = new FakeBackground();
    await start(background);
    fill('#host', 'http://app.myagency.com');
    await act(async () => click(buttonNamed('Add domain')));
    await until(() => mounted?.root.querySelector('#host-error') !== null);
    expect(text(one(mounted?.root as ParentNode, '#host-error'))).toMatch(/^Only https:\/\//);
    expect(background.permissionAsked).toEqual([]);
  });

  it('shows the numbers and staff of the first sub-account, asked of the background', async () => {
    const background = new FakeBackground();
    await start(background);
    await until(() => mounted?.root.querySelector('.numbers-empty') !== null);
    expect(text(one(mounted?.root as ParentNode, '#numbers-heading'))).toBe('Numbers and staff');
    expect(background.sent.filter((s) => s.type === 'numbers-staff')).toEqual([
      { type: 'numbers-staff', payload: { locationId: 'loc-demo' } },
    ]);
    expect(text(one(mounted?.root as ParentNode, '.numbers-empty h3'))).toBe('Not synced yet');
  });
});

describe('the options page after a reset', () => {
  it('reads the settings again and shows the empty state', async () => {
    const background = new FakeBackground();
    mounted = mount(<OptionsApp api={background.api} clock={() => NOW} />);
    await until(() => text(mounted?.root as Element).includes('Sunrise Dental'));
    const root = mounted.root;
    const section = one(root, 'section[aria-labelledby="backup-heading"]');
    const open = [...section.querySelectorAll('button')].find(
      (b) => text(b) === 'Delete everything…',
    );
    if (!open) throw new Error('no reset button');
    click(open);
    fill('#backup-reset-confirm', 'delete everything');
    click(one(section, 'form.reset-confirm button[type="submit"]'));
    await until(() => text(root as Element).includes('No sub-accounts yet.'));
    expect(background.settingsTypes().slice(-2)).toEqual(['settings-reset', 'settings-get']);
    expect(text(root as Element)).not.toContain('Sunrise Dental');
    expect(text(one(section, '[data-part="reset-status"]'))).toContain(
      'Everything Sender Lens stored was deleted',
    );
  });
});
