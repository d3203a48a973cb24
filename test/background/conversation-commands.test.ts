import { describe, expect, it, vi } from 'vitest';
import {
  registerCommandForwarding,
  registerPageStatusCleanup,
} from '../../lib/background/commands';
import type { TabMessage } from '../../lib/messaging/tab';

function commandHarness(activeTab: number | undefined) {
  let listener: ((command: string, tab?: { id?: number }) => void) | undefined;
  const sent: { tabId: number; message: TabMessage }[] = [];
  registerCommandForwarding({
    onCommand: {
      addListener: (fn: (command: string, tab?: { id?: number }) => void) => {
        listener = fn;
      },
    } as never,
    activeTabId: async () => activeTab,
    sendToTab: async (tabId, message) => {
      sent.push({ tabId, message });
    },
  });
  return { fire: (command: string, tab?: { id?: number }) => listener?.(command, tab), sent };
}

describe('registerCommandForwarding', () => {
  it('sends open-switcher to the tab the shortcut was pressed in', async () => {
    const { fire, sent } = commandHarness(3);
    fire('open-switcher', { id: 12 });
    await vi.waitFor(() =>
      expect(sent).toEqual([{ tabId: 12, message: { type: 'open-switcher' } }]),
    );
  });

  it('falls back to the active tab, and ignores other commands', async () => {
    const { fire, sent } = commandHarness(3);
    fire('something-else', { id: 12 });
    fire('open-switcher');
    await vi.waitFor(() =>
      expect(sent).toEqual([{ tabId: 3, message: { type: 'open-switcher' } }]),
    );
  });

  it('does nothing without a tab', async () => {
    const { fire, sent } = commandHarness(undefined);
    fire('open-switcher');
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(sent).toEqual([]);
  });
});

describe('registerPageStatusCleanup', () => {
  it('forgets a closed tab’s page status', async () => {
    let onRemoved: ((tabId: number) => void) | undefined;
    const removed: string[] = [];
    registerPageStatusCleanup({
      onRemoved: { addListener: (fn: (tabId: number) => void) => (onRemoved = fn) } as never,
      session: {
        remove: async (key: string | string[]) => void removed.push(String(key)),
      } as never,
    });
    onRemoved?.(5);
    await vi.waitFor(() => expect(removed).toEqual(['sender-lens:page-status:5']));
  });
});
