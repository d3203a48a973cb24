// @vitest-environment happy-dom

import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { QuickSwitcher } from '../../components/QuickSwitcher';
import type { SwitcherOption, SwitcherUser } from '../../lib/messaging/views';
import { click, type Mounted, mount, one, press, syntheticClick, text, type } from './dom';
import { options } from './fixtures';

let mounted: Mounted | undefined;
afterEach(() => mounted?.unmount());

function switcher(
  over: { options?: SwitcherOption[]; users?: SwitcherUser[]; shadow?: boolean } = {},
) {
  const onPick = vi.fn();
  const onChooseUser = vi.fn();
  const onClose = vi.fn();
  mounted = mount(
    <QuickSwitcher
      id="list"
      open
      options={over.options ?? options}
      users={over.users}
      onPick={onPick}
      onChooseUser={onChooseUser}
      onClose={onClose}
    />,
    { shadow: over.shadow },
  );
  const root = mounted.root;
  const list = one(root, '[role="listbox"]');
  const active = () => {
    const id = list.getAttribute('aria-activedescendant');
    return id
      ? text(root.querySelector(`[id="${id}"] .sl-number`) ?? root.querySelector(`[id="${id}"]`))
      : undefined;
  };
  return { list, active, onPick, onChooseUser, onClose, root };
}

describe('QuickSwitcher', () => {
  it('focuses the listbox on opening, starting on the current number', () => {
    const { list, active, root } = switcher();
    expect(root.activeElement ?? document.activeElement).toBe(list);
    expect(active()).toBe('(415) 555-0111');
    const selected = root.querySelectorAll('[aria-selected="true"]');
    expect(selected).toHaveLength(1);
  });

  it('moves with the arrow keys, skipping numbers that cannot send SMS', () => {
    const { list, active } = switcher();
    press(list, 'ArrowDown');
    expect(active()).toBe('(415) 555-0133');
    press(list, 'ArrowDown');
    expect(active()).toBe('(650) 555-0144');
    press(list, 'ArrowDown');
    expect(active()).toBe('(650) 555-0144');
    press(list, 'ArrowUp');
    press(list, 'ArrowUp');
    expect(active()).toBe('(415) 555-0111');
    press(list, 'End');
    expect(active()).toBe('(650) 555-0144');
    press(list, 'Home');
    expect(active()).toBe('(415) 555-0111');
  });

  it('calls onPick with the E.164 of the active number on Enter', () => {
    const { list, onPick } = switcher();
    press(list, 'ArrowDown');
    const enter = press(list, 'Enter');
    expect(onPick).toHaveBeenCalledExactlyOnceWith('+14155550133');
    expect(enter.defaultPrevented).toBe(true);
  });

  it('shows disabled numbers with their reason, and a click on one picks nothing', () => {
    const { root, onPick } = switcher();
    const disabled = [...root.querySelectorAll('[role="option"][aria-disabled="true"]')];
    expect(disabled.map((el) => text(el.querySelector('.sl-reason')))).toEqual([
      'Cannot send SMS',
      'Released in Twilio',
    ]);
    click(disabled[0] as Element);
    expect(onPick).not.toHaveBeenCalled();
    const enabledOption = root.querySelectorAll(
      '[role="option"]:not([aria-disabled])',
    )[1] as Element;
    click(enabledOption);
    expect(onPick).toHaveBeenCalledExactlyOnceWith('+14155550133');
  });

  it('marks a number of another staff member that HighLevel will not offer, yet lets it be picked', () => {
    const marked: SwitcherOption[] = [
      ...options,
      { e164: '+14155550103', display: '(415) 555-0103', tags: [], assignedTo: 'Raj Patel' },
    ];
    const { root, onPick } = switcher({ options: marked });
    const raj = [...root.querySelectorAll('[role="option"]')].at(-1) as Element;
    expect(raj.className).toContain('sl-other');
    expect(raj.getAttribute('aria-disabled')).toBeNull();
    expect(text(raj.querySelector('.sl-reason'))).toBe(
      "Raj Patel's number: HighLevel will not offer it to you",
    );
    expect(root.querySelectorAll('.sl-other')).toHaveLength(1);
    click(raj);
    expect(onPick).toHaveBeenCalledExactlyOnceWith('+14155550103');
  });

  it('ignores what a page script does: an untrusted click or Enter picks nothing', () => {
    const { root, list, onPick } = switcher();
    const enabledOption = root.querySelectorAll('[role="option"]:not([aria-disabled])')[1];
    syntheticClick(enabledOption as Element);
    act(() => {
      list.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    });
    expect(onPick).not.toHaveBeenCalled();
  });

  it('shows the tags in words', () => {
    const { root } = switcher();
    const tags = [...root.querySelectorAll('[role="option"]')].map((el) =>
      [...el.querySelectorAll('.sl-tag')].map(text),
    );
    expect(tags).toEqual([['yours', 'current'], [], ['default'], ['channel', 'last pick'], []]);
  });

  it('filters by digits as they are typed, and Backspace widens again', () => {
    const { list, root, active, onPick } = switcher();
    const shown = () => [...root.querySelectorAll('[role="option"] .sl-number')].map(text);
    type(list, '650');
    expect(shown()).toEqual(['(650) 555-0144', '(650) 555-0155']);
    expect(text(one(root, '.sl-filter'))).toBe('Filter “650”: 2 numbers');
    expect(active()).toBe('(650) 555-0144');
    type(list, '5550155');
    expect(shown()).toEqual(['(650) 555-0155']);
    expect(list.getAttribute('aria-activedescendant')).toBeNull();
    press(list, 'Enter');
    expect(onPick).not.toHaveBeenCalled();
    type(list, '9');
    expect(text(one(root, '.sl-empty'))).toBe('No number matches “65055501559”.');
    for (let i = 0; i < 11; i++) press(list, 'Backspace');
    expect(shown()).toHaveLength(5);
    expect(text(one(root, '.sl-filter'))).toBe('');
  });

  it('has the filter count’s live region, empty, before the first key press', () => {
    const { root } = switcher();
    const live = one(root, '.sl-filter');
    expect(live.getAttribute('aria-live')).toBe('polite');
    expect(text(live)).toBe('');
  });

  it('keeps the keys it handles from reaching the page', () => {
    const { list } = switcher();
    const seen: string[] = [];
    const spy = (event: KeyboardEvent) => seen.push(event.key);
    document.addEventListener('keydown', spy);
    try {
      type(list, '4');
      press(list, 'ArrowDown');
      press(list, 'F5');
    } finally {
      document.removeEventListener('keydown', spy);
    }
    expect(seen).toEqual(['F5']);
  });

  it('asks to close with focus returned on Escape, and without on Tab', () => {
    const { list, onClose } = switcher();
    press(list, 'Escape');
    expect(onClose).toHaveBeenLastCalledWith(true);
    press(list, 'Tab');
    expect(onClose).toHaveBeenLastCalledWith(false);
  });

  it('offers an "I am …" section when the user is unknown', () => {
    const users = [
      { id: 'u1', name: 'Jane Doe' },
      { id: 'u2', name: 'Sam Lee' },
    ];
    const { list, root, active, onChooseUser, onPick } = switcher({ users });
    const group = one(root, '[role="group"]');
    const labelId = group.getAttribute('aria-labelledby') ?? '';
    expect(text(root.querySelector(`[id="${labelId}"]`))).toBe('I am …');
    expect([...group.querySelectorAll('[role="option"]')].map(text)).toEqual([
      'Jane Doe',
      'Sam Lee',
    ]);
    press(list, 'Home');
    expect(active()).toBe('Jane Doe');
    press(list, 'ArrowDown');
    press(list, 'Enter');
    expect(onChooseUser).toHaveBeenCalledExactlyOnceWith('u2');
    expect(onPick).not.toHaveBeenCalled();
    type(list, 'jan');
    expect([...root.querySelectorAll('[role="option"]')].map(text)).toEqual([
      'Jane Doe',
      "(415) 555-0111 Jane's line yours current",
    ]);
  });

  it('says so when no numbers are synced', () => {
    const { root, list } = switcher({ options: [] });
    expect(text(one(root, '.sl-empty'))).toBe('No numbers synced yet.');
    expect(list.getAttribute('aria-activedescendant')).toBeNull();
  });

  it('works inside a shadow root', () => {
    const { list, active, root, onPick } = switcher({ shadow: true });
    expect(root).toBeInstanceOf(ShadowRoot);
    expect(root.activeElement).toBe(list);
    press(list, 'End');
    expect(active()).toBe('(650) 555-0144');
    press(list, 'Enter');
    expect(onPick).toHaveBeenCalledExactlyOnceWith('+16505550144');
  });
});
