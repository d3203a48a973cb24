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

  it('says HighLevel agrees, in a calm note that describes the button with the tooltip', () => {
    const button = badge(senderView({ picker: { state: 'agrees' } }));
    const ids = (button.getAttribute('aria-describedby') ?? '').split(' ');
    expect(ids).toHaveLength(2);
    expect(ids[1]).toBe('why');
    const note = mounted?.root.querySelector(`[id="${ids[0]}"]`);
    expect(text(note)).toBe('HighLevel agrees');
    expect(note?.className).toBe('sl-note');
    expect(button.className).toContain('sl-tone-ok');
  });

  it("says plainly when HighLevel's number picker was not found, without alarm", () => {
    const button = badge(senderView({ picker: { state: 'not-found' } }));
    expect(text(one(mounted?.root as ParentNode, '.sl-note'))).toBe(
      "HighLevel's number picker not found",
    );
    expect(button.className).toContain('sl-tone-ok');
  });

  it("warns when HighLevel's picker shows another number, naming it", () => {
    const button = badge(
      senderView({ picker: { state: 'differs', shown: '(415) 555-0101', reason: 'unknown-rule' } }),
    );
    const note = one(mounted?.root as ParentNode, '.sl-note');
    expect(text(note)).toBe('! HighLevel shows (415) 555-0101');
    expect(note.className).toContain('sl-note-warn');
    expect(button.className).toContain('sl-tone-warn');
  });

  it("warns when Sender Lens could not set HighLevel's picker", () => {
    const button = badge(senderView({ picker: { state: 'not-set', why: 'not-listed' } }));
    expect(text(one(mounted?.root as ParentNode, '.sl-note'))).toBe(
      "! Could not set HighLevel's picker",
    );
    expect(button.className).toContain('sl-tone-warn');
  });

  it('shows no note without a picker reading, nor on a blocked send', () => {
    let button = badge(senderView({ picker: undefined }));
    expect(button.getAttribute('aria-describedby')).toBe('why');
    expect(mounted?.root.querySelector('.sl-note')).toBeNull();
    mounted?.unmount();
    button = badge(blockedView({ picker: { state: 'not-found' } }));
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
