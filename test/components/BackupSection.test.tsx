// @vitest-environment happy-dom
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type BackupApi,
  BackupSection,
  exportFileName,
} from '../../components/options/BackupSection';
import type { ImportResult, SettingsDocument } from '../../lib/messaging/requests/backup';
import { click, type Mounted, mount, one, text } from './dom';

let mounted: Mounted | undefined;
afterEach(() => {
  mounted?.unmount();
  mounted = undefined;
});

const DOC: SettingsDocument = {
  format: 'sender-lens-settings',
  version: 1,
  exportedAt: '2026-03-01T12:00:00.000Z',
  subAccounts: [
    { locationId: 'loc-1', name: 'Sunrise Dental', country: 'US', selectedForSync: true },
  ],
  send: { omitBodies: false, routes: {} },
  chosenUsers: {},
  whiteLabelDomains: ['https://app.myagency.com'],
  secretsLeftOut: ['Twilio credentials', 'HighLevel tokens'],
};

/** Lets the section's awaited requests and file reads settle. */
async function settle() {
  for (let i = 0; i < 5; i++) {
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
  }
}

class FakeBackground {
  sent: { type: string; payload: unknown }[] = [];
  importAnswer: ImportResult | Error = {
    applied: ['Sunrise Dental (loc-1): added'],
    needsPermission: ['https://app.myagency.com'],
    secretsLeftOut: ['Twilio credentials', 'HighLevel tokens'],
  };
  api: BackupApi = {
    send: (async (type: string, payload: unknown) => {
      this.sent.push({ type, payload });
      if (type === 'settings-export') return structuredClone(DOC);
      if (type === 'settings-import') {
        if (this.importAnswer instanceof Error) throw this.importAnswer;
        return this.importAnswer;
      }
      return { deleted: ['2 sub-accounts with their synced data', 'the Twilio credentials'] };
    }) as BackupApi['send'],
  };
}

function render(background: FakeBackground) {
  const downloads: { fileName: string; text: string }[] = [];
  let changed = 0;
  mounted = mount(
    <BackupSection
      api={background.api}
      onChanged={() => {
        changed += 1;
      }}
      download={(fileName, body) => downloads.push({ fileName, text: body })}
    />,
  );
  return { root: mounted.root, downloads, changed: () => changed };
}

function choose(input: HTMLInputElement, name: string, body: string) {
  Object.defineProperty(input, 'files', {
    configurable: true,
    value: [new File([body], name, { type: 'application/json' })],
  });
  act(() => {
    input.dispatchEvent(new Event('change', { bubbles: true }));
  });
}

describe('BackupSection', () => {
  it('names the file by the export date', () => {
    expect(exportFileName('2026-03-01T23:59:00.000Z')).toBe('sender-lens-settings-2026-03-01.json');
  });

  it('exports to a dated file and says the secrets are not in it', async () => {
    const background = new FakeBackground();
    const { root, downloads } = render(background);
    expect(text(root as Element)).toContain(
      'Secrets are not included: re-enter the Twilio credentials and HighLevel tokens after importing.',
    );
    click(one(root, 'button.primary'));
    await settle();
    expect(downloads).toHaveLength(1);
    expect(downloads[0]?.fileName).toBe('sender-lens-settings-2026-03-01.json');
    expect(JSON.parse(downloads[0]?.text ?? '')).toEqual(DOC);
    expect(text(one(root, '[data-part="export-status"]'))).toBe(
      'Saved sender-lens-settings-2026-03-01.json. Secrets are not included: re-enter the Twilio credentials and HighLevel tokens after importing.',
    );
  });

  it('imports a file and lists what it applied and the domains that need permission', async () => {
    const background = new FakeBackground();
    const { root, changed } = render(background);
    choose(one<HTMLInputElement>(root, 'input[type="file"]'), 'settings.json', JSON.stringify(DOC));
    await settle();
    expect(background.sent).toEqual([{ type: 'settings-import', payload: { document: DOC } }]);
    const status = text(one(root, '[data-part="import-status"]'));
    expect(status).toContain('Sunrise Dental (loc-1): added');
    expect(status).toContain(
      'https://app.myagency.com: needs your permission: add it under White-label domains',
    );
    expect(status).toContain('Not in the file: Twilio credentials and HighLevel tokens.');
    expect(changed()).toBe(1);
  });

  it('shows the named error of a refused file', async () => {
    const background = new FakeBackground();
    background.importAnswer = new Error(
      'subAccounts[2].country: expected a two-letter country code, e.g. US',
    );
    const { root, changed } = render(background);
    choose(one<HTMLInputElement>(root, 'input[type="file"]'), 'settings.json', JSON.stringify(DOC));
    await settle();
    expect(text(one(root, '[data-part="import-status"] .alert'))).toBe(
      'Nothing was imported. subAccounts[2].country: expected a two-letter country code, e.g. US',
    );
    expect(changed()).toBe(0);
  });

  it('refuses a file that is not JSON without asking the background', async () => {
    const background = new FakeBackground();
    const { root } = render(background);
    choose(one<HTMLInputElement>(root, 'input[type="file"]'), 'notes.txt', 'not json {');
    await settle();
    expect(background.sent).toEqual([]);
    expect(text(one(root, '[data-part="import-status"]'))).toBe(
      'notes.txt is not a JSON file: choose a file exported here.',
    );
  });

  it('resets only after the typed confirmation, saying what it deletes and what it deleted', async () => {
    const background = new FakeBackground();
    const { root, changed } = render(background);
    click(one(root, 'button.danger'));
    const form = one(root, 'form.reset-confirm');
    expect(text(form)).toContain('the Twilio credentials and every HighLevel token');
    expect(text(form)).toContain('the outbox and the send log');
    const submit = one<HTMLButtonElement>(form, 'button[type="submit"]');
    expect(submit.disabled).toBe(true);
    const input = one<HTMLInputElement>(form, '#backup-reset-confirm');
    act(() => {
      input.value = 'delete';
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    expect(submit.disabled).toBe(true);
    act(() => {
      input.value = 'delete everything';
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    expect(submit.disabled).toBe(false);
    click(submit);
    await settle();
    expect(background.sent).toEqual([
      { type: 'settings-reset', payload: { confirm: 'delete everything' } },
    ]);
    expect(root.querySelector('form.reset-confirm')).toBeNull();
    const status = one(root, '[data-part="reset-status"]');
    expect(text(status.querySelector('p'))).toBe('Everything Sender Lens stored was deleted:');
    expect([...status.querySelectorAll('li')].map((li) => text(li))).toEqual([
      '2 sub-accounts with their synced data',
      'the Twilio credentials',
    ]);
    expect(changed()).toBe(1);
  });

  it('cancels a reset without sending anything', () => {
    const background = new FakeBackground();
    const { root } = render(background);
    click(one(root, 'button.danger'));
    const cancel = [...root.querySelectorAll('form.reset-confirm button')].find(
      (b) => text(b) === 'Cancel',
    );
    if (!cancel) throw new Error('no Cancel button');
    click(cancel);
    expect(root.querySelector('form.reset-confirm')).toBeNull();
    expect(background.sent).toEqual([]);
  });
});
