/**
 * HighLevel's own From picker, seen from one conversation's session: what it
 * shows against the badge, the agent's own picks in it (trusted events only),
 * and setting it after the agent's pick in the switcher. HighLevel's controls
 * are touched only from `set`, which the session calls only in answer to that
 * pick: never on load, on reload, or on what the page does by itself.
 */
import type { PickerView, SenderView, SwitcherOption } from '@/lib/messaging/views';
import type { ComposerParts } from '@/lib/page/adapter';
import {
  findFromPicker,
  fromOptions,
  isFromMenuOpen,
  type SetFromResult,
  setFromPicker,
} from '@/lib/page/from-picker';

/** How long after the agent's click or key in the picker a change counts as their pick. */
const PICK_WINDOW_MS = 2000;

export interface PickerHost {
  doc: Document;
  signal: AbortSignal;
  composer(): ComposerParts;
  /** The sub-account's numbers: the switcher's options. */
  options(): SwitcherOption[];
  /** The agent picked `e164` in HighLevel's picker. */
  onPick(e164: string): void;
  /** Asks for a frame, where `read` runs. */
  schedule(): void;
  now(): number;
}

export class HighLevelPicker {
  /** The number HighLevel's picker shows; null when not found, undefined before the first read. */
  private shown: string | null | undefined;
  /** It changed on this page without a pick that Sender Lens saw or made. */
  private unseen = false;
  private armed: { before: string | null; until: number } | null = null;
  private setting: { number: string; result: SetFromResult } | null = null;
  private busy = false;

  constructor(private readonly host: PickerHost) {
    const listen = (type: 'click' | 'keydown') =>
      host.doc.addEventListener(type, (event) => this.onEvent(event), {
        capture: true,
        signal: host.signal,
      });
    listen('click');
    listen('keydown');
  }

  private numbers(): string[] {
    return this.host.options().map((o) => o.e164);
  }

  private find() {
    const numbers = this.numbers();
    return numbers.length > 0 ? findFromPicker(this.host.doc, this.host.composer(), numbers) : null;
  }

  /**
   * Before the page handles it: a person's click on one of the picker's options, or Enter
   * in its open menu, may change the picker. Only events the browser marks as a person's
   * count; the page's scripts and Sender Lens's own clicks do not.
   */
  private onEvent(event: Event): void {
    const click = event.type === 'click';
    if (!event.isTrusted || this.busy || (!click && (event as KeyboardEvent).key !== 'Enter'))
      return;
    const picker = this.find();
    if (!picker) return;
    const numbers = this.numbers();
    const target = event.target as Node;
    const choosing = click
      ? fromOptions(this.host.doc, picker, numbers).some((o) => o.element.contains(target))
      : isFromMenuOpen(this.host.doc, picker, numbers);
    if (!choosing) return;
    this.armed = { before: picker.shown, until: this.host.now() + PICK_WINDOW_MS };
    this.host.schedule();
  }

  /** Forgets what was seen: the conversation now shows another contact. */
  reset(): void {
    this.shown = undefined;
    this.unseen = false;
    this.armed = null;
    this.setting = null;
  }

  /** Reads what the picker shows; call once a frame. True when the badge should draw again. */
  read(): boolean {
    const shown = this.find()?.shown ?? null;
    const armed = this.armed;
    if (armed && this.host.now() > armed.until) this.armed = null;
    if (shown === this.shown) return false;
    const before = this.shown;
    this.shown = shown;
    if (this.armed && shown !== null && shown !== this.armed.before) {
      this.armed = null;
      this.unseen = false;
      this.host.onPick(shown);
    } else if (before && shown && !this.busy) {
      this.unseen = true;
    }
    return true;
  }

  /** Sets HighLevel's picker to the agent's pick in the switcher, and remembers how it went. */
  async set(e164: string): Promise<void> {
    const numbers = this.numbers();
    this.busy = true;
    let result: SetFromResult;
    try {
      result = await setFromPicker(this.host.doc, this.host.composer(), e164, numbers, {
        signal: this.host.signal,
      });
    } catch {
      result = 'did-not-change';
    } finally {
      this.busy = false;
    }
    if (this.host.signal.aborted) return;
    this.setting = { number: e164, result };
    // What Sender Lens itself set is no unseen change.
    this.shown = this.find()?.shown ?? null;
    if (result === 'selected') this.unseen = false;
    this.host.schedule();
  }

  /** HighLevel's picker against the badge's view; undefined while there is nothing to compare. */
  state(view: SenderView): PickerView | undefined {
    const number = view.numberE164;
    if (view.state !== 'sender' || !number || this.shown === undefined) return undefined;
    if (this.shown === number) return { state: 'agrees' };
    const setting = this.setting;
    if (
      setting?.number === number &&
      setting.result !== 'selected' &&
      setting.result !== 'not-found'
    )
      return { state: 'not-set', why: setting.result };
    if (this.shown === null) return { state: 'not-found' };
    const shown = this.host.options().find((o) => o.e164 === this.shown)?.display ?? this.shown;
    // 'picked' is the word of rule manual-pick: a pick recorded in Sender Lens.
    const reason =
      view.ruleWord === 'picked'
        ? 'pick-not-set'
        : this.unseen
          ? 'unseen-pick'
          : view.stale
            ? 'stale-sync'
            : 'unknown-rule';
    return { state: 'differs', shown, reason };
  }
}
