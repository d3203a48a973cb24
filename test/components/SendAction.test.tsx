// @vitest-environment happy-dom

import { useState } from 'preact/hooks';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SendAction, type SendActionProps } from '../../components/SendAction';
import { click, type Mounted, mount, one, press, syntheticClick, text } from './dom';
import { sendView, unknownSend } from './fixtures';

let mounted: Mounted | undefined;
afterEach(() => mounted?.unmount());

type Over = Partial<Omit<SendActionProps, 'onMediaChange' | 'onSend' | 'onSendAgain'>>;

/** Holds the media URLs as the content script would, so chips come and go. */
function Harness(props: Over & { spies: Spies }) {
  const { spies, ...over } = props;
  const [mediaUrls, setMediaUrls] = useState(over.mediaUrls ?? []);
  return (
    <SendAction
      body=""
      route="twilio"
      fromDisplay="(415) 555-0111"
      busy={false}
      shortcut="Ctrl+Shift+Enter"
      {...over}
      mediaUrls={mediaUrls}
      onMediaChange={(urls) => {
        spies.onMediaChange(urls);
        setMediaUrls(urls);
      }}
      onSend={spies.onSend}
      onSendAgain={spies.onSendAgain}
    />
  );
}

interface Spies {
  onSend: () => void;
  onSendAgain: (id: string) => void;
  onMediaChange: (urls: string[]) => void;
}

function action(over: Over = {}) {
  const spies = { onSend: vi.fn(), onSendAgain: vi.fn(), onMediaChange: vi.fn() };
  mounted = mount(<Harness {...over} spies={spies} />);
  const root = mounted.root;
  const button = one<HTMLButtonElement>(root, '.sl-send-button');
  const reason = () => {
    const id = button.getAttribute('aria-describedby');
    return id ? text(root.querySelector(`[id="${id}"]`)) : undefined;
  };
  return {
    ...spies,
    root,
    button,
    count: one(root, '.sl-count'),
    reason,
    refused: () => button.getAttribute('aria-disabled') === 'true',
    rerender: (next: Over) => mounted?.rerender(<Harness {...over} {...next} spies={spies} />),
  };
}

function fill(input: HTMLInputElement, value: string) {
  act(() => {
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

function openMedia(root: ParentNode) {
  click(one(root, '.sl-disclose'));
  return one<HTMLInputElement>(root, 'input');
}

const chips = (root: ParentNode) => [...root.querySelectorAll('.sl-media-chip .sl-url')].map(text);

describe('SendAction', () => {
  it('has the counter in a polite live region from the start, empty until there is text', () => {
    const { count, rerender, root } = action();
    expect(count.getAttribute('aria-live')).toBe('polite');
    expect(count.getAttribute('role')).toBe('status');
    expect(text(count)).toBe('');
    rerender({ body: 'Hello' });
    expect(one(root, '.sl-count')).toBe(count);
    expect(text(count)).toBe('1 segment · GSM-7 · 5/1600');
  });

  it('counts segments and characters as the agent types', () => {
    const { count, rerender } = action({ body: 'a'.repeat(160) });
    expect(text(count)).toBe('1 segment · GSM-7 · 160/1600');
    rerender({ body: 'a'.repeat(180) });
    expect(text(count)).toBe('2 segments · GSM-7 · 180/1600');
    // An escape character costs two septets, and the limit counts it once.
    rerender({ body: `${'a'.repeat(159)}€` });
    expect(text(count)).toBe('2 segments · GSM-7 · 160/1600');
  });

  it('names the characters that force UCS-2, five at most', () => {
    const { count, rerender } = action({ body: 'ça 😀' });
    // é is in the GSM alphabet; ç is not, and the emoji counts two characters.
    expect(text(count)).toBe('1 segment · UCS-2 because of “ç” “😀” · 5/1600');
    rerender({ body: 'é ç ж ā ĉ 中 😀 ç' });
    expect(text(count)).toBe(
      '1 segment · UCS-2 because of “ç” “ж” “ā” “ĉ” “中” and 1 more · 16/1600',
    );
  });

  it('names an invisible character by its code', () => {
    const { count } = action({ body: 'Hi\u00a0there' });
    expect(text(count)).toBe('1 segment · UCS-2 because of U+00A0 · 8/1600');
  });

  it('refuses an empty body with no media, with the reason visible and describing the button', () => {
    const { button, reason, refused, onSend, root, rerender } = action();
    expect(refused()).toBe(true);
    expect(reason()).toBe('Nothing to send: type a message or add a media URL');
    // Said quietly: an empty message box is not a fault.
    expect(text(one(root, '.sl-quiet'))).toBe(reason());
    expect(root.querySelector('.sl-refusal')).toBeNull();
    click(button);
    expect(onSend).not.toHaveBeenCalled();
    rerender({ body: '   \n ' });
    expect(refused()).toBe(true);
  });

  it('sends media alone', () => {
    const { button, refused, reason, onSend } = action({ mediaUrls: ['https://x.test/a.png'] });
    expect(refused()).toBe(false);
    expect(reason()).toBeUndefined();
    expect(button.hasAttribute('aria-describedby')).toBe(false);
    click(button);
    expect(onSend).toHaveBeenCalledOnce();
  });

  it('refuses a body over 1,600 characters, saying by how much', () => {
    const { reason, refused, rerender, onSend, button } = action({ body: 'a'.repeat(1912) });
    expect(refused()).toBe(true);
    expect(reason()).toBe('312 characters too long: Twilio takes at most 1,600');
    rerender({ body: `${'a'.repeat(1599)}😀` });
    expect(reason()).toBe('1 character too long: Twilio takes at most 1,600');
    click(button);
    expect(onSend).not.toHaveBeenCalled();
    rerender({ body: 'a'.repeat(1600) });
    expect(refused()).toBe(false);
  });

  it('refuses with the reason it is given, before any other', () => {
    const refusal = 'Pat Kim texted STOP on 2025-01-02';
    const { reason, refused, button, onSend } = action({ body: '', refusal });
    expect(refused()).toBe(true);
    expect(reason()).toBe(refusal);
    click(button);
    press(button, 'Enter');
    expect(onSend).not.toHaveBeenCalled();
  });

  it('sends once for a click, Enter or Space, and never for a page script’s click', () => {
    const { button, onSend } = action({ body: 'Hello' });
    syntheticClick(button);
    expect(onSend).not.toHaveBeenCalled();
    click(button);
    expect(onSend).toHaveBeenCalledTimes(1);
    const enter = press(button, 'Enter');
    expect(enter.defaultPrevented).toBe(true);
    expect(onSend).toHaveBeenCalledTimes(2);
    press(button, ' ');
    expect(onSend).toHaveBeenCalledTimes(3);
    // A held key repeats; that is not another send.
    press(button, 'Enter', { repeat: true });
    expect(onSend).toHaveBeenCalledTimes(3);
  });

  it('keeps Enter on the button from HighLevel’s page-wide keys', () => {
    const { button } = action({ body: 'Hello' });
    const seen = vi.fn();
    document.addEventListener('keydown', seen);
    press(button, 'Enter');
    document.removeEventListener('keydown', seen);
    expect(seen).not.toHaveBeenCalled();
  });

  it('does not send while a send is in flight', () => {
    const { button, onSend, refused, reason } = action({ body: 'Hello', busy: true });
    expect(refused()).toBe(true);
    expect(button.getAttribute('aria-busy')).toBe('true');
    expect(reason()).toBeUndefined();
    click(button);
    expect(onSend).not.toHaveBeenCalled();
  });

  it('names the route, the sender and the shortcut', () => {
    const { button, rerender } = action({ body: 'Hi' });
    expect(text(button)).toBe('Send via Twilio');
    expect(button.title).toBe('Send via Twilio from (415) 555-0111 (Ctrl+Shift+Enter)');
    expect(button.getAttribute('aria-keyshortcuts')).toBe('Control+Shift+Enter');
    rerender({ body: 'Hi', route: 'highlevel', fromDisplay: undefined });
    expect(text(button)).toBe('Send via HighLevel');
    expect(button.title).toBe('Send via HighLevel (Ctrl+Shift+Enter)');
  });

  it('opens the media field from a disclosure button', () => {
    const { root } = action();
    const toggle = one(root, '.sl-disclose');
    const panel = one(root, '.sl-media-panel');
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(toggle.getAttribute('aria-controls')).toBe(panel.id);
    expect(panel.hidden).toBe(true);
    syntheticClick(toggle);
    expect(panel.hidden).toBe(true);
    press(toggle, 'Enter');
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect(panel.hidden).toBe(false);
    expect(one(root, `label[for="${one(root, 'input').id}"]`)).toBeTruthy();
  });

  it('adds http(s) URLs as chips, by Enter or the Add button', () => {
    const { root, onMediaChange, refused } = action();
    const input = openMedia(root);
    fill(input, ' https://example.com/a.png ');
    press(input, 'Enter');
    expect(onMediaChange).toHaveBeenLastCalledWith(['https://example.com/a.png']);
    expect(input.value).toBe('');
    fill(input, 'http://example.com/b.jpg');
    click(one(root, '.sl-add'));
    expect(chips(root)).toEqual(['https://example.com/a.png', 'http://example.com/b.jpg']);
    // Media alone is something to send.
    expect(refused()).toBe(false);
  });

  it('refuses anything but an http(s) URL, inline, and a duplicate', () => {
    const { root, onMediaChange } = action({ mediaUrls: ['https://example.com/a.png'] });
    const input = openMedia(root);
    const error = () => {
      const id = input.getAttribute('aria-describedby');
      return id ? text(root.querySelector(`[id="${id}"]`)) : undefined;
    };
    for (const bad of ['example.com/a.png', 'ftp://example.com/a.png', 'javascript:alert(1)']) {
      fill(input, bad);
      press(input, 'Enter');
      expect(error()).toBe('Enter a full address starting with http:// or https://');
      expect(input.getAttribute('aria-invalid')).toBe('true');
      expect(one(root, '.sl-error').getAttribute('role')).toBe('alert');
    }
    fill(input, 'https://example.com/a.png');
    expect(error()).toBeUndefined();
    click(one(root, '.sl-add'));
    expect(error()).toBe('That URL is already added');
    expect(onMediaChange).not.toHaveBeenCalled();
  });

  it('takes at most ten media URLs', () => {
    const ten = Array.from({ length: 10 }, (_, i) => `https://example.com/${i}.png`);
    const { root, onMediaChange } = action({ mediaUrls: ten });
    const input = openMedia(root);
    fill(input, 'https://example.com/11.png');
    press(input, 'Enter');
    expect(text(one(root, '.sl-error'))).toBe('Twilio takes at most 10 media URLs');
    expect(chips(root)).toHaveLength(10);
    expect(onMediaChange).not.toHaveBeenCalled();
  });

  it('removes a chip by its button, keeping focus in the media field', () => {
    const urls = ['https://example.com/a.png', 'https://example.com/b.png'];
    const { root, onMediaChange } = action({ mediaUrls: urls });
    const input = openMedia(root);
    const remove = one<HTMLButtonElement>(root, '[aria-label="Remove https://example.com/a.png"]');
    syntheticClick(remove);
    expect(chips(root)).toEqual(urls);
    press(remove, ' ');
    expect(onMediaChange).toHaveBeenLastCalledWith(['https://example.com/b.png']);
    expect(chips(root)).toEqual(['https://example.com/b.png']);
    expect(document.activeElement).toBe(input);
  });

  it('does not add for a page script’s click or key', () => {
    const { root, onMediaChange } = action();
    const input = openMedia(root);
    fill(input, 'https://example.com/a.png');
    syntheticClick(one(root, '.sl-add'));
    act(() => {
      input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    });
    expect(onMediaChange).not.toHaveBeenCalled();
  });

  it('keeps typing in the media field from HighLevel’s shortcuts, but lets chords through', () => {
    const { root } = action();
    const input = openMedia(root);
    const seen = vi.fn();
    document.addEventListener('keydown', seen);
    press(input, 'k');
    press(input, 'Enter', { ctrlKey: true, shiftKey: true });
    document.removeEventListener('keydown', seen);
    expect(seen).toHaveBeenCalledOnce();
  });

  it('shows the latest send’s state in a live region, with its tone', () => {
    const { root, rerender } = action({ body: 'Hi' });
    const status = one(root, '.sl-last');
    expect(status.getAttribute('role')).toBe('status');
    expect(text(status)).toBe('');
    rerender({ body: 'Hi', last: sendView({ tone: 'pending', statusText: 'Sending…' }) });
    expect(text(status)).toBe('Sending…');
    expect(status.querySelector('.sl-dot-pending')).not.toBeNull();
    rerender({
      body: 'Hi',
      last: sendView({
        tone: 'bad',
        state: 'failed',
        statusText: 'Failed: the contact replied STOP (21610)',
        advice: 'Ask the contact to text START',
      }),
    });
    expect(text(status)).toBe(
      'Failed: the contact replied STOP (21610) Ask the contact to text START',
    );
    expect(one(status, '.sl-pill').className).toContain('sl-tone-bad');
    expect(root.querySelector('.sl-again')).toBeNull();
  });

  it('offers Send again only for a send whose outcome is unknown', () => {
    const { root, onSendAgain, rerender } = action({ body: 'Hi', last: sendView() });
    expect(root.querySelector('.sl-again')).toBeNull();
    rerender({ body: 'Hi', last: unknownSend() });
    const again = one(root, '.sl-again');
    expect(text(again)).toBe('Send again');
    syntheticClick(again);
    expect(onSendAgain).not.toHaveBeenCalled();
    click(again);
    expect(onSendAgain).toHaveBeenCalledExactlyOnceWith('send-0002');
    rerender({ body: 'Hi', last: unknownSend(), busy: true });
    click(one(root, '.sl-again'));
    expect(onSendAgain).toHaveBeenCalledOnce();
  });

  it('puts every control in the Tab order', () => {
    const { root } = action({ body: 'Hi', last: unknownSend(), mediaUrls: ['https://x.test/a'] });
    openMedia(root);
    const controls = [...root.querySelectorAll<HTMLElement>('button, input')];
    expect(controls.map((el) => el.className || el.tagName)).toEqual([
      'sl-send-button',
      'sl-again',
      'sl-remove',
      'sl-disclose',
      'INPUT',
      'sl-add',
    ]);
    for (const el of controls) {
      expect(el.tabIndex).toBe(0);
      expect((el as HTMLButtonElement).disabled).toBe(false);
    }
  });
});
