// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SenderBadge } from '../../components/SenderBadge';
import type { SenderView } from '../../lib/messaging/views';
import { click, type Mounted, mount, one, press, text } from './dom';
import { blockedView, senderView } from './fixtures';

let mounted: Mounted | undefined;
afterEach(() => mounted?.unmount());

function badge(view: SenderView, handlers: { onOpen?: () => void; onToggle?: () => void } = {}) {
  mounted = mount(
    <SenderBadge
      view={view}
      describedBy="why"
      controls="list"
      expanded={false}
      onOpen={handlers.onOpen ?? (() => {})}
      onToggle={handlers.onToggle ?? (() => {})}
    />,
  );
  return one<HTMLButtonElement>(mounted.root, 'button');
}

describe('SenderBadge', () => {
  it('shows the number, its friendly name and the rule in a word', () => {
    const button = badge(senderView());
    expect(text(one(button, '.sl-number'))).toBe('(415) 555-0111');
    expect(text(one(button, '.sl-name'))).toBe("Jane's line");
    expect(text(one(button, '.sl-rule'))).toBe('your number');
    expect(button.className).toContain('sl-tone-ok');
    expect(button.getAttribute('aria-haspopup')).toBe('listbox');
    expect(button.getAttribute('aria-expanded')).toBe('false');
  });

  it('shows a refusal as blocked, with its reason and a lock', () => {
    const button = badge(blockedView());
    expect(text(button)).toContain('Blocked');
    expect(text(button)).toContain('Pat Kim texted STOP on 2025-01-02');
    expect(button.querySelector('svg')).not.toBeNull();
    expect(button.className).toContain('sl-tone-bad');
    expect(button.querySelector('.sl-number')).toBeNull();
  });

  it('marks an inferred choice and counts warnings, in words for screen readers', () => {
    const button = badge(
      senderView({ inferred: true, warnings: ['SMS capability unknown', 'Second'] }),
    );
    const marks = [...button.querySelectorAll('.sl-mark .sl-sr')].map(text);
    expect(marks).toEqual(['inferred', '2 warnings']);
    expect(text(button)).toBe(
      "From (415) 555-0111 Jane's line your number ≈inferred !2 warnings ▾",
    );
    expect(button.className).toContain('sl-tone-warn');
  });

  it("notes when HighLevel's picker may differ, and describes the button with the note and the tooltip", () => {
    const button = badge(senderView({ pickerAgreement: 'no-picker' }));
    const ids = (button.getAttribute('aria-describedby') ?? '').split(' ');
    expect(ids).toHaveLength(2);
    expect(ids[1]).toBe('why');
    const note = mounted?.root.querySelector(`[id="${ids[0]}"]`);
    expect(text(note)).toBe("HighLevel's picker may differ");
  });

  it("shows no note when HighLevel's picker agrees", () => {
    const button = badge(senderView({ pickerAgreement: 'agrees' }));
    expect(button.getAttribute('aria-describedby')).toBe('why');
    expect(mounted?.root.querySelector('.sl-note')).toBeNull();
  });

  it('shows loading, not-synced and error states in words', () => {
    expect(text(badge(senderView({ state: 'loading' })))).toContain('Checking sender');
    mounted?.unmount();
    expect(
      text(badge(senderView({ state: 'not-synced', message: 'Never synced: open options' }))),
    ).toContain('Never synced: open options');
    mounted?.unmount();
    const error = badge(senderView({ state: 'error', message: 'Twilio rejected the credentials' }));
    expect(text(error)).toContain('Twilio rejected the credentials');
    expect(error.className).toContain('sl-tone-warn');
  });

  it('opens on Enter, Space and ArrowDown, preventing the native click', () => {
    const onOpen = vi.fn();
    const button = badge(senderView(), { onOpen });
    expect(press(button, 'Enter').defaultPrevented).toBe(true);
    expect(press(button, ' ').defaultPrevented).toBe(true);
    press(button, 'ArrowDown');
    expect(onOpen).toHaveBeenCalledTimes(3);
    press(button, 'a');
    expect(onOpen).toHaveBeenCalledTimes(3);
  });

  it('toggles on click', () => {
    const onToggle = vi.fn();
    click(badge(senderView(), { onToggle }));
    expect(onToggle).toHaveBeenCalledTimes(1);
  });
});
