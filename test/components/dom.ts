import { type ComponentChild, render } from 'preact';
import { act } from 'preact/test-utils';

export interface Mounted {
  /** Where the view rendered: a div in the document, or a shadow root's container. */
  container: HTMLElement;
  /** The root to query: the shadow root when mounted in one, else the container. */
  root: ParentNode & { activeElement?: Element | null };
  rerender(node: ComponentChild): void;
  unmount(): void;
}

/** Renders into a fresh container attached to the document, optionally inside a shadow root as the content script does. */
export function mount(node: ComponentChild, { shadow = false } = {}): Mounted {
  const host = document.createElement('div');
  document.body.append(host);
  const shadowRoot = shadow ? host.attachShadow({ mode: 'open' }) : undefined;
  const container = document.createElement('div');
  (shadowRoot ?? host).append(container);
  act(() => render(node, container));
  return {
    container,
    root: shadowRoot ?? container,
    rerender: (next) => act(() => render(next, container)),
    unmount: () => {
      act(() => render(null, container));
      host.remove();
    },
  };
}

/**
 * Marks an event as a person's, as the browser does for real input; the
 * extension's controls ignore any other (components/trusted.ts). happy-dom
 * has no isTrusted, so the tests set it.
 */
export function byPerson<E extends Event>(event: E): E {
  Object.defineProperty(event, 'isTrusted', { value: true });
  return event;
}

/** Dispatches a real keydown (and keyup) on the element; returns the keydown so a test can read defaultPrevented. */
export function press(
  target: EventTarget,
  key: string,
  init: KeyboardEventInit = {},
): KeyboardEvent {
  const down = byPerson(
    new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, composed: true, ...init }),
  );
  act(() => {
    target.dispatchEvent(down);
  });
  act(() => {
    target.dispatchEvent(
      byPerson(
        new KeyboardEvent('keyup', {
          key,
          bubbles: true,
          cancelable: true,
          composed: true,
          ...init,
        }),
      ),
    );
  });
  return down;
}

/** Types each character as its own key press. */
export function type(target: EventTarget, text: string) {
  for (const key of text) press(target, key);
}

export function focus(el: Element) {
  act(() => (el as HTMLElement).focus());
}

/** What a page script can do: an untrusted click, as `element.click()` gives. */
export function syntheticClick(el: Element) {
  act(() => {
    el.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, composed: true }));
  });
}

export function click(el: Element) {
  act(() => {
    for (const type of ['mousedown', 'mouseup', 'click']) {
      el.dispatchEvent(
        byPerson(new MouseEvent(type, { bubbles: true, cancelable: true, composed: true })),
      );
    }
  });
}

export function hover(el: Element, on: boolean) {
  act(() => {
    el.dispatchEvent(
      byPerson(
        new MouseEvent(on ? 'mouseenter' : 'mouseleave', { bubbles: false, composed: true }),
      ),
    );
  });
}

/** The one element matching a selector; fails the test when there is none. */
export function one<T extends Element = HTMLElement>(root: ParentNode, selector: string): T {
  const el = root.querySelector<T>(selector);
  if (!el) throw new Error(`No element matches ${selector}`);
  return el;
}

/** Visible text, whitespace collapsed. */
export const text = (el: Element | null | undefined) =>
  (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
