// @vitest-environment happy-dom
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CheckSection } from '../../components/options/CheckSection';
import { accountLabel, LC_PHONE } from '../../components/options/TwilioAccountRow';
import { TwilioAccountsSection } from '../../components/options/TwilioAccountsSection';
import type { Outcome } from '../../components/options/types';
import type {
  LocationView,
  TwilioAccountView,
  TwilioSecretView,
} from '../../lib/messaging/requests/settings';
import { LC_PHONE_MISSING } from '../../lib/messaging/views';
import { click, type Mounted, mount, one, text } from './dom';

const MAIN = `AC${'a'.repeat(32)}`;
const SUNRISE = `AC${'5'.repeat(28)}1234`;
const ACME = `AC${'6'.repeat(28)}5678`;
const SENTENCE =
  "An API key of the main Twilio account cannot act on its subaccounts: use the main account's Auth Token, or an API key made in the subaccount.";

let mounted: Mounted | undefined;
afterEach(() => {
  mounted?.unmount();
  mounted = undefined;
});

const ACCOUNTS: TwilioAccountView[] = [
  { sid: MAIN, friendlyName: 'Agency', status: 'active', main: true },
  { sid: ACME, friendlyName: 'Acme Ortho', status: 'suspended', main: false },
  { sid: SUNRISE, friendlyName: 'Sunrise Dental', status: 'active', main: false },
];

const TOKEN: TwilioSecretView = {
  kind: 'auth-token',
  accountSid: 'AC…aaaa',
  secret: '••••1234',
  savedAt: '2026-03-01T12:00:00Z',
};

const location = (over: Partial<LocationView> = {}): LocationView => ({
  locationId: 'loc-demo',
  name: 'Sunrise Dental',
  country: 'US',
  selectedForSync: true,
  hasData: true,
  token: { scope: 'location', hint: '••••abcd', savedAt: '2026-03-01T12:00:00Z' },
  sync: {
    running: false,
    progress: null,
    lastSuccessAt: null,
    lastError: null,
    lastSync: null,
    interrupted: false,
  },
  ...over,
});

async function press(el: Element) {
  await act(async () => {
    click(el);
  });
}

async function submit(form: Element) {
  await act(async () => {
    form.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
  });
}

function choose(select: HTMLSelectElement, value: string) {
  act(() => {
    select.value = value;
    select.dispatchEvent(new Event('change', { bubbles: true }));
  });
}

function fill(input: HTMLInputElement, value: string) {
  act(() => {
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

/** The control a label names through its `for`, as assistive tech finds it. */
function labelled<T extends HTMLElement>(root: ParentNode, label: string): T {
  const found = [...root.querySelectorAll('label')].find((l) => text(l) === label);
  if (!found) throw new Error(`No label "${label}"`);
  return one<T>(root, `[id="${found.getAttribute('for')}"]`);
}

function buttonNamed(root: ParentNode, name: string): HTMLButtonElement {
  const found = [...root.querySelectorAll('button')].find((b) => text(b) === name);
  if (!found) throw new Error(`No button "${name}"`);
  return found;
}

function render(
  props: Partial<Parameters<typeof TwilioAccountsSection>[0]> = {},
): Required<Pick<Parameters<typeof TwilioAccountsSection>[0], 'onList' | 'onSave'>> {
  const onList = props.onList ?? vi.fn(async () => ACCOUNTS);
  const onSave = props.onSave ?? vi.fn(async (): Promise<Outcome> => ({ ok: true }));
  mounted = mount(
    <TwilioAccountsSection
      locations={props.locations ?? [location()]}
      saved={props.saved === undefined ? TOKEN : props.saved}
      onList={onList}
      onSave={onSave}
    />,
  );
  return { onList, onSave };
}

const options = (select: HTMLSelectElement) => [...select.options].map((o) => text(o));

describe('TwilioAccountsSection', () => {
  it('gives each sub-account a labelled select, on the main account until chosen otherwise', () => {
    render();
    const root = mounted?.root as ParentNode;
    const select = labelled<HTMLSelectElement>(root, 'Twilio account for Sunrise Dental');
    expect(select.tagName).toBe('SELECT');
    expect(select.value).toBe('');
    expect(options(select)).toEqual([
      "Main account (the saved credentials' own)",
      'Another subaccount: type its SID…',
      "LC Phone (HighLevel's own phone system, no Twilio account)",
    ]);
    // Nothing to save until something changes; the button names its sub-account.
    const save = buttonNamed(root, 'Save the Twilio account for Sunrise Dental');
    expect(save.disabled).toBe(true);
    expect(save.type).toBe('submit');
    // Native controls only, none taken out of the tab order.
    expect(root.querySelectorAll('[tabindex]')).toHaveLength(0);
  });

  it('lists the subaccounts into every select, the main account left out, and says how many', async () => {
    const { onList } = render();
    const root = mounted?.root as ParentNode;
    await press(buttonNamed(root, 'List subaccounts from Twilio'));
    expect(onList).toHaveBeenCalledTimes(1);
    expect(text(one(root, '[role="status"]'))).toBe(
      'Twilio lists 2 subaccounts: choose from them below.',
    );
    const select = labelled<HTMLSelectElement>(root, 'Twilio account for Sunrise Dental');
    expect(options(select)).toEqual([
      "Main account (the saved credentials' own)",
      'Acme Ortho (AC…5678), suspended',
      'Sunrise Dental (AC…1234)',
      'Another subaccount: type its SID…',
      "LC Phone (HighLevel's own phone system, no Twilio account)",
    ]);
    expect(buttonNamed(root, 'List subaccounts again')).toBeTruthy();
  });

  it('says why the subaccounts could not be listed, as an alert', async () => {
    render({ onList: async () => ({ error: 'Twilio did not accept the credentials.' }) });
    const root = mounted?.root as ParentNode;
    await press(buttonNamed(root, 'List subaccounts from Twilio'));
    expect(text(one(root, '[role="alert"]'))).toBe('Twilio did not accept the credentials.');
  });

  it('saves a listed subaccount and says so', async () => {
    const { onSave } = render();
    const root = mounted?.root as ParentNode;
    await press(buttonNamed(root, 'List subaccounts from Twilio'));
    const select = labelled<HTMLSelectElement>(root, 'Twilio account for Sunrise Dental');
    choose(select, SUNRISE);
    const save = buttonNamed(root, 'Save the Twilio account for Sunrise Dental');
    expect(save.disabled).toBe(false);
    await submit(one(root, '.twilio-account-row form'));
    expect(onSave).toHaveBeenCalledWith('loc-demo', SUNRISE);
    const status = [...root.querySelectorAll('.twilio-account-row [role="status"]')].map(text);
    expect(status).toEqual(['Sunrise Dental uses the Twilio subaccount Sunrise Dental (AC…1234).']);
  });

  it('takes a typed SID, saying in words what is missing or wrong, and keeps what was typed', async () => {
    const onSave = vi.fn(
      async (): Promise<Outcome> => ({
        ok: false,
        field: 'accountSid',
        message:
          'expected "AC" followed by 32 hexadecimal characters, as shown in the Twilio Console',
      }),
    );
    render({ onSave });
    const root = mounted?.root as ParentNode;
    choose(labelled<HTMLSelectElement>(root, 'Twilio account for Sunrise Dental'), 'typed');
    const input = labelled<HTMLInputElement>(root, "SID of Sunrise Dental's Twilio subaccount");
    expect(input.getAttribute('aria-describedby')).toContain(`${input.id}-hint`);
    const form = one(root, '.twilio-account-row form');

    // Nothing typed: said at once, nothing sent.
    fill(input, ' ');
    await submit(form);
    expect(onSave).not.toHaveBeenCalled();
    expect(text(one(root, '.field-error'))).toBe("Type the subaccount's SID, or choose one above.");

    fill(input, 'AC123');
    await submit(form);
    expect(onSave).toHaveBeenCalledWith('loc-demo', 'AC123');
    const error = one(root, '.field-error');
    expect(error.getAttribute('role')).toBe('alert');
    expect(text(error)).toBe(
      'Expected "AC" followed by 32 hexadecimal characters, as shown in the Twilio Console.',
    );
    const field = labelled<HTMLInputElement>(root, "SID of Sunrise Dental's Twilio subaccount");
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(field.getAttribute('aria-describedby')).toContain(error.id);
    expect(field.value).toBe('AC123');
  });

  it('shows a saved subaccount before listing, and a refusal as an alert tied to the select', () => {
    render({
      locations: [
        location({ twilioAccountSid: SUNRISE, twilioProblem: SENTENCE, fullSyncDue: true }),
      ],
      saved: { ...TOKEN, kind: 'api-key', apiKeySid: 'SK…1111' },
    });
    const root = mounted?.root as ParentNode;
    const select = labelled<HTMLSelectElement>(root, 'Twilio account for Sunrise Dental');
    expect(select.value).toBe(SUNRISE);
    expect(options(select)).toContain(`Subaccount ${SUNRISE}`);
    const problem = one(root, '.twilio-account-row [role="alert"]');
    expect(text(problem)).toBe(SENTENCE);
    expect(select.getAttribute('aria-describedby')?.split(' ')).toContain(problem.id);
    expect(text(one(root, `[id="${select.id}-note"]`))).toBe(
      "The Twilio account changed: the next sync reads Sunrise Dental's whole history again.",
    );
    expect(text(one(root, '.lead + .muted'))).toContain(
      'An API key reaches only the Twilio account it was made in.',
    );
  });

  it('puts a sub-account on LC Phone, saying which facts that leaves missing', async () => {
    const { onSave } = render();
    const root = mounted?.root as ParentNode;
    const select = labelled<HTMLSelectElement>(root, 'Twilio account for Sunrise Dental');
    expect(options(select)).toContain("LC Phone (HighLevel's own phone system, no Twilio account)");
    choose(select, LC_PHONE);
    const note = one(root, `[id="${select.getAttribute('aria-describedby')}"]`);
    expect(text(note)).toBe(LC_PHONE_MISSING);
    await submit(one(root, '.twilio-account-row form'));
    expect(onSave).toHaveBeenCalledWith('loc-demo', LC_PHONE);
    const status = [...root.querySelectorAll('.twilio-account-row [role="status"]')].map(text);
    expect(status).toEqual([
      'Sunrise Dental is on LC Phone: it syncs from HighLevel alone and sends through HighLevel.',
    ]);
  });

  it('shows a sub-account saved on LC Phone as such', () => {
    render({ locations: [location({ lcPhone: true })] });
    const select = labelled<HTMLSelectElement>(
      mounted?.root as ParentNode,
      'Twilio account for Sunrise Dental',
    );
    expect(select.value).toBe(LC_PHONE);
  });

  it('goes back to the main account', async () => {
    const { onSave } = render({ locations: [location({ twilioAccountSid: SUNRISE })] });
    const root = mounted?.root as ParentNode;
    choose(labelled<HTMLSelectElement>(root, 'Twilio account for Sunrise Dental'), '');
    await submit(one(root, '.twilio-account-row form'));
    expect(onSave).toHaveBeenCalledWith('loc-demo', undefined);
    expect(text(one(root, '.twilio-account-row [role="status"]'))).toBe(
      'Sunrise Dental uses the main Twilio account.',
    );
  });

  it('cannot list before credentials are saved, and says why', () => {
    render({ saved: null });
    const root = mounted?.root as ParentNode;
    const list = buttonNamed(root, 'List subaccounts from Twilio');
    expect(list.disabled).toBe(true);
    const why = one(root, `[id="${list.getAttribute('aria-describedby')}"]`);
    expect(text(why)).toBe('Save the Twilio credentials above first.');
  });

  it('asks for a sub-account first when there is none', () => {
    render({ locations: [] });
    expect(text(mounted?.root.querySelector('.muted'))).toBe(
      'Add a sub-account under HighLevel first.',
    );
  });

  it('words account labels by name, SID ends and status', () => {
    expect(accountLabel({ sid: SUNRISE, friendlyName: null, status: 'active' })).toBe(SUNRISE);
    expect(accountLabel({ sid: ACME, friendlyName: 'Acme', status: 'closed' })).toBe(
      'Acme (AC…5678), closed',
    );
  });
});

describe('CheckSection with subaccounts', () => {
  it("adds a line for each sub-account's Twilio subaccount", async () => {
    mounted = mount(
      <CheckSection
        onCheck={async () => ({
          twilio: { ok: true, message: 'Connected: 1 number, 1 can send SMS' },
          twilioSubaccounts: [
            {
              locationId: 'loc-demo',
              name: 'Sunrise Dental',
              accountSid: SUNRISE,
              ok: false,
              message: SENTENCE,
            },
          ],
          highLevel: [],
        })}
      />,
    );
    await press(one(mounted.root, 'button'));
    const lines = [...mounted.root.querySelectorAll('.results li')].map((l) =>
      text(l).replace(/^[✓✕]\s*/, ''),
    );
    expect(lines).toEqual([
      'Twilio: Connected: 1 number, 1 can send SMS',
      `Twilio subaccount of Sunrise Dental (${SUNRISE}): ${SENTENCE}`,
      'HighLevel: No sub-account added yet: add one above.',
    ]);
  });
});
