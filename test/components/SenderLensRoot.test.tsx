// @vitest-environment happy-dom

import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SenderLensRoot, type SenderLensRootProps } from '../../components/SenderLensRoot';
import { click, focus, hover, type Mounted, mount, one, press, text } from './dom';
import { options, senderView } from './fixtures';

let mounted: Mounted | undefined;
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});
afterEach(() => {
  mounted?.unmount();
  vi.useRealTimers();
});

const tick = (ms: number) =>
  act(() => {
    vi.advanceTimersByTime(ms);
  });

function lens(over: Partial<SenderLensRootProps> = {}, shadow = false) {
  const props: SenderLensRootProps = {
    view: senderView(),
    options,
    onPick: vi.fn(),
    onChooseUser: vi.fn(),
    openSwitcherSignal: 0,
    ...over,
  };
  mounted = mount(<SenderLensRoot {...props} />, { shadow });
  const root = mounted.root;
  const badge = one<HTMLButtonElement>(root, 'button.sl-badge');
  const tip = one(root, '[role="tooltip"]');
  const list = one(root, '[role="listbox"]');
  const focused = () => (shadow ? root.activeElement : document.activeElement);
  const switcherOpen = () => !(list.parentElement as HTMLElement).hidden;
  return { props, root, badge, tip, list, focused, switcherOpen };
}

describe('SenderLensRoot', () => {
  it('describes the badge by the summary sentence and the warnings, not the whole trace', () => {
    const described = (badge: HTMLElement, root: ParentNode) =>
      (badge.getAttribute('aria-describedby') ?? '')
        .split(' ')
        .map((id) => text(one(root, `[id="${id}"]`)));
    const plain = lens();
    // The picker's short note beside the badge, then the summary sentence.
    expect(described(plain.badge, plain.root)).toEqual([
      'HighLevel agrees',
      expect.stringMatching(/^Next SMS goes out from /),
    ]);
    expect(text(plain.tip)).toContain('Applied');
    mounted?.unmount();
    const warned = lens({ view: senderView({ warnings: ['Ben’s number was released'] }) });
    const parts = described(warned.badge, warned.root);
    expect(parts).toHaveLength(3);
    expect(parts[2]).toContain('Ben’s number was released');
    expect(parts.join(' ')).not.toContain('Applied');
  });

  it('opens the tooltip on focus and closes it on Escape', () => {
    const { badge, tip } = lens();
    expect(tip.hidden).toBe(true);
    focus(badge);
    expect(tip.hidden).toBe(false);
    press(badge, 'Escape');
    expect(tip.hidden).toBe(true);
  });

  it('opens the tooltip after a short hover, keeps it while the pointer is on it, and closes after leaving', () => {
    const { badge, tip } = lens();
    hover(badge, true);
    tick(100);
    expect(tip.hidden).toBe(true);
    tick(200);
    expect(tip.hidden).toBe(false);
    hover(badge, false);
    hover(tip, true);
    tick(500);
    expect(tip.hidden).toBe(false);
    hover(tip, false);
    tick(500);
    expect(tip.hidden).toBe(true);
  });

  it('does not open the tooltip for a pointer that only passes over the badge', () => {
    const { badge, tip } = lens();
    hover(badge, true);
    tick(100);
    hover(badge, false);
    tick(500);
    expect(tip.hidden).toBe(true);
  });

  it('closes a hover-opened tooltip on Escape pressed anywhere on the page', () => {
    const { badge, tip } = lens();
    const composer = document.createElement('textarea');
    document.body.append(composer);
    try {
      hover(badge, true);
      tick(300);
      expect(tip.hidden).toBe(false);
      press(composer, 'Escape');
      expect(tip.hidden).toBe(true);
    } finally {
      composer.remove();
    }
  });

  it('opens the switcher on click, moves focus into it and hides the tooltip', () => {
    const { badge, tip, list, focused, switcherOpen } = lens();
    focus(badge);
    expect(tip.hidden).toBe(false);
    click(badge);
    expect(switcherOpen()).toBe(true);
    expect(badge.getAttribute('aria-expanded')).toBe('true');
    expect(badge.getAttribute('aria-controls')).toBe(list.id);
    expect(focused()).toBe(list);
    expect(tip.hidden).toBe(true);
  });

  it('picks with the keyboard: Enter on the badge, arrows, Enter; focus returns to the badge without the tooltip', () => {
    const { props, badge, tip, list, focused, switcherOpen } = lens();
    focus(badge);
    press(badge, 'Enter');
    expect(focused()).toBe(list);
    press(list, 'ArrowDown');
    press(list, 'Enter');
    expect(props.onPick).toHaveBeenCalledExactlyOnceWith('+14155550133');
    expect(switcherOpen()).toBe(false);
    expect(focused()).toBe(badge);
    expect(tip.hidden).toBe(true);
  });

  it('closes the switcher on Escape and returns focus to the badge', () => {
    const { props, badge, list, focused, switcherOpen } = lens();
    click(badge);
    press(list, 'Escape');
    expect(switcherOpen()).toBe(false);
    expect(focused()).toBe(badge);
    expect(props.onPick).not.toHaveBeenCalled();
  });

  it('closes the switcher when focus leaves for the page', () => {
    const { badge, switcherOpen } = lens();
    const composer = document.createElement('textarea');
    document.body.append(composer);
    try {
      click(badge);
      expect(switcherOpen()).toBe(true);
      focus(composer);
      expect(switcherOpen()).toBe(false);
    } finally {
      composer.remove();
    }
  });

  it('opens the switcher when openSwitcherSignal changes, not on first render', () => {
    const { props, list, focused, switcherOpen } = lens({ openSwitcherSignal: 3 });
    expect(switcherOpen()).toBe(false);
    mounted?.rerender(<SenderLensRoot {...props} openSwitcherSignal={3} />);
    expect(switcherOpen()).toBe(false);
    mounted?.rerender(<SenderLensRoot {...props} openSwitcherSignal={4} />);
    expect(switcherOpen()).toBe(true);
    expect(focused()).toBe(list);
    press(list, 'Escape');
    mounted?.rerender(<SenderLensRoot {...props} openSwitcherSignal={5} />);
    expect(switcherOpen()).toBe(true);
  });

  it('gives focus back to the message box when the shortcut opened the switcher from there', () => {
    const composer = document.createElement('textarea');
    document.body.append(composer);
    try {
      const { props, list, focused, switcherOpen } = lens({ openSwitcherSignal: 1 });
      composer.focus();
      mounted?.rerender(<SenderLensRoot {...props} openSwitcherSignal={2} />);
      expect(focused()).toBe(list);
      press(list, 'Escape');
      expect(switcherOpen()).toBe(false);
      expect(document.activeElement).toBe(composer);
      // And after a pick.
      composer.focus();
      mounted?.rerender(<SenderLensRoot {...props} openSwitcherSignal={3} />);
      press(list, 'Enter');
      expect(props.onPick).toHaveBeenCalledOnce();
      expect(document.activeElement).toBe(composer);
    } finally {
      composer.remove();
    }
  });

  it('passes a chosen user up and closes', () => {
    const { props, badge, list, switcherOpen } = lens({ users: [{ id: 'u7', name: 'Sam Lee' }] });
    click(badge);
    press(list, 'Home');
    press(list, 'Enter');
    expect(props.onChooseUser).toHaveBeenCalledExactlyOnceWith('u7');
    expect(switcherOpen()).toBe(false);
  });

  it('updates at once when the view changes', () => {
    const { props, badge, tip } = lens();
    mounted?.rerender(
      <SenderLensRoot
        {...props}
        view={senderView({ state: 'blocked', blockedReason: 'Pat Kim texted STOP on 2025-01-02' })}
      />,
    );
    expect(text(badge)).toContain('Blocked: Pat Kim texted STOP on 2025-01-02');
    expect(text(tip)).toContain('Blocked: Pat Kim texted STOP on 2025-01-02.');
  });

  it('works the same inside a shadow root', () => {
    const { props, badge, tip, list, focused, switcherOpen } = lens({}, true);
    focus(badge);
    expect(tip.hidden).toBe(false);
    press(badge, 'ArrowDown');
    expect(focused()).toBe(list);
    press(list, 'End');
    press(list, 'Enter');
    expect(props.onPick).toHaveBeenCalledExactlyOnceWith('+16505550144');
    expect(focused()).toBe(badge);
    expect(switcherOpen()).toBe(false);
  });
});
