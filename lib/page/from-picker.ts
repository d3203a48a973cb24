/**
 * HighLevel's own From-number picker, in the expanded SMS composer. No public
 * source shows its DOM (../../../shared/PAGE.md), so it is found by what it
 * shows: the one control inside the composer whose text is one of the
 * sub-account's numbers. The channel picker (SMS, Email, WhatsApp, …) is never
 * taken for it, and when no control, or more than one, qualifies, the answer
 * is "not found" rather than a guess. Numbers are compared on their digits
 * (the last ten), as the content script carries no phone parser; the numbers
 * to look for are the sub-account's, in E.164, as the background sends them.
 * Tested against test/fixtures/conversations-from-picker-2026-12-02.html.
 */
import { type ComposerParts, composerField } from './adapter';
import { query, querySelf, SELECTORS } from './selectors';

// Shapes, not HighLevel's names: the heuristic goes by what a control shows, so any control
// and any menu option qualifies. (Kept out of SELECTORS, whose entries name page parts.)
const CONTROL = 'button,[role="button"],[role="combobox"],[aria-haspopup],[tabindex]';
const OPTION = [
  ...SELECTORS.dropdownOption,
  '.n-base-select-option',
  '[role="option"]',
  '[role="menuitem"]',
].join();
const CHANNEL = SELECTORS.channelPicker.join();

const PHONE_RUN = /\+?\d[\d\s().\u00a0-]{5,}\d/g;
const lastTen = (text: string) => text.replace(/\D/g, '').slice(-10);

/**
 * Whether `text` shows `number` as a whole phone number, compared on the last ten digits.
 * "555-0105" alone does not show "(415) 555-0105": without a parser the area code is unknown.
 */
export function showsNumber(text: string, number: string): boolean {
  const wanted = lastTen(number);
  if (wanted.length < 7) return false;
  for (const run of text.match(PHONE_RUN) ?? []) {
    // A run may swallow digits after the number ("(415) 555-0105 2nd line"): try it cut at each space.
    const ends = [run.length];
    for (let i = 0; i < run.length; i++) if (/\s/.test(run.charAt(i))) ends.push(i);
    if (ends.some((end) => lastTen(run.slice(0, end)) === wanted)) return true;
  }
  return false;
}

/** The one of `numbers` that `text` shows; null for none, or for more than one. */
function numberIn(text: string, numbers: readonly string[]): string | null {
  const found = numbers.filter((n) => showsNumber(text, n));
  return found.length === 1 ? (found[0] as string) : null;
}

/** Whether the element is drawn: neither it nor an ancestor is hidden. No layout needed. */
function drawn(el: Element | null): boolean {
  const view = el?.ownerDocument.defaultView;
  for (; el; el = el.parentElement) {
    if ((el as HTMLElement).hidden) return false;
    const style = view?.getComputedStyle(el);
    if (style?.display === 'none' || style?.visibility === 'hidden') return false;
  }
  return true;
}

/** HighLevel's From picker as found: the control that opens it and the number it shows. */
export interface FromPicker {
  trigger: HTMLElement;
  /** One of the numbers looked for, E.164. */
  shown: string;
}

/** One option of the picker's menu, open or not: a closed menu may stay in the DOM. */
export interface FromOption {
  element: HTMLElement;
  number: string;
  /** Drawn, so a person could click it. */
  visible: boolean;
}

/**
 * HighLevel's From picker in the composer: the one drawn control there, outside the
 * channel picker and the message list, whose text shows one of `numbers`; else null.
 */
export function findFromPicker(
  doc: Document,
  composer: ComposerParts,
  numbers: readonly string[],
): FromPicker | null {
  // The composer: from its footer up to the element that also holds the message field.
  const field = composerField(doc, composer);
  let scope: Element = composer.footer;
  while (field && !scope.contains(field) && scope.parentElement) scope = scope.parentElement;
  const scroller = query(doc, 'messageScroller')?.element;
  const found: FromPicker[] = [];
  for (const el of scope.querySelectorAll<HTMLElement>(CONTROL)) {
    if (el.closest(`${OPTION},${CHANNEL}`) || el.querySelector(CHANNEL) || scroller?.contains(el))
      continue;
    const shown = numberIn(el.textContent ?? '', numbers);
    if (shown) found.push({ trigger: el, shown });
  }
  // A wrapper shows its control's text too: keep the innermost, which gets the click first.
  const inner = found.filter((f) => !found.some((g) => g !== f && f.trigger.contains(g.trigger)));
  const picker = inner.length === 1 ? (inner[0] as FromPicker) : null;
  return picker && drawn(picker.trigger) ? picker : null;
}

/**
 * The picker's options in the DOM, open or not: those of the menu its trigger names
 * (aria-controls, aria-owns), else every option on the page that shows one of `numbers`.
 */
export function fromOptions(
  doc: Document,
  picker: FromPicker,
  numbers: readonly string[],
): FromOption[] {
  const menuId =
    picker.trigger.getAttribute('aria-controls') ?? picker.trigger.getAttribute('aria-owns');
  const root = (menuId && doc.getElementById(menuId)) || doc;
  const scroller = query(doc, 'messageScroller')?.element;
  const out: FromOption[] = [];
  for (const element of root.querySelectorAll<HTMLElement>(OPTION)) {
    if (element.parentElement?.closest(OPTION) || scroller?.contains(element)) continue;
    const number = numberIn(element.textContent ?? '', numbers);
    if (number) out.push({ element, number, visible: drawn(element) });
  }
  return out;
}

/** Whether the picker's menu is open: options drawn, not merely left in the DOM. */
export function isFromMenuOpen(doc: Document, picker: FromPicker, numbers: readonly string[]) {
  return (
    picker.trigger.getAttribute('aria-expanded') !== 'false' &&
    fromOptions(doc, picker, numbers).some((o) => o.visible)
  );
}

/** Resolves true once `test` holds (checked on every DOM change), false on timeout or abort. */
function until(doc: Document, test: () => boolean, ms: number, signal?: AbortSignal) {
  return new Promise<boolean>((resolve) => {
    if (test() || signal?.aborted) {
      resolve(test());
      return;
    }
    const done = () => {
      observer.disconnect();
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve(test());
    };
    const observer = new MutationObserver(() => {
      if (test()) done();
    });
    observer.observe(doc.documentElement, {
      subtree: true,
      childList: true,
      attributes: true,
      characterData: true,
    });
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

export type SetFromResult =
  | 'selected'
  | 'not-found'
  | 'did-not-open'
  | 'not-listed'
  | 'did-not-change';

export interface SetFromOptions {
  /** How long each step may take to show on the page; default 1500 ms. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * Sets HighLevel's From picker to `number` (one of `numbers`) the way a person would:
 * opens it through its trigger, clicks the drawn option, and checks that the picker then
 * shows the number. Never leaves the menu open: Escape, then the trigger, closes it.
 * Meant only for an answer to the agent's own pick, never on its own.
 */
export async function setFromPicker(
  doc: Document,
  composer: ComposerParts,
  number: string,
  numbers: readonly string[],
  { timeoutMs = 1500, signal }: SetFromOptions = {},
): Promise<SetFromResult> {
  const picker = findFromPicker(doc, composer, numbers);
  if (!picker) return 'not-found';
  if (picker.shown === number) return 'selected';
  const open = () => isFromMenuOpen(doc, picker, numbers);
  let result: SetFromResult = 'did-not-open';
  if (!open()) picker.trigger.click();
  if (await until(doc, open, timeoutMs, signal)) {
    const option = fromOptions(doc, picker, numbers).find((o) => o.visible && o.number === number);
    result = 'not-listed';
    if (option) {
      // Naive UI handles a click on the option's body; one on the inner label does nothing.
      (
        querySelf<HTMLElement>(option.element, 'dropdownOptionBody')?.element ?? option.element
      ).click();
      const shows = () => findFromPicker(doc, composer, numbers)?.shown === number;
      result = (await until(doc, shows, timeoutMs, signal)) ? 'selected' : 'did-not-change';
    }
  }
  if (open()) {
    picker.trigger.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    if (!(await until(doc, () => !open(), 300))) picker.trigger.click();
  }
  return result;
}
