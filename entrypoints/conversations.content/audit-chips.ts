/**
 * Audit chips on the message rows of a virtual list. Rows are recycled while
 * scrolling (the same element is given another message id), so each row
 * element keeps one chip host for its lifetime and the chip is re-rendered
 * whenever the row shows another message. Views are cached by message id
 * and unknown ids are asked of the background in debounced batches.
 *
 * Chips follow their rows from the session's MutationObserver callback, not
 * in the next animation frame: a virtual list may repaint its rows inside an
 * animation frame, and that frame paints right after the callback (a
 * microtask). Waiting for the next frame would show each recycled row with
 * the previous message's chip for one frame.
 */
import { h, render } from 'preact';
import { AuditBadge } from '@/components/AuditBadge';
import { AUDIT_CSS } from '@/components/styles';
import type { ContentApi } from '@/lib/content/api';
import { createShadowMount } from '@/lib/content/shadow';
import { MAX_AUDIT_IDS } from '@/lib/messaging/tab';
import type { AuditView } from '@/lib/messaging/views';
import { listMessageRows, type MessageRow, readMessageRow } from '@/lib/page/adapter';
import { querySelf } from '@/lib/page/selectors';

export const AUDIT_HOST_TAG = 'sender-lens-audit';

// The details open upwards, over the rows above (downwards on a top row, AuditBadge measures), and never push the virtual list's fixed-height rows.
const EXTRA_CSS = `
:host{position:relative;z-index:3;flex:none;align-self:flex-end;margin:0 6px 2px}
:host(:focus-within){z-index:4}
.sl-audit-details{position:absolute;bottom:calc(100% + 4px);z-index:1;min-width:240px}
.sl-audit-details.sl-down{bottom:auto;top:calc(100% + 4px)}
:host([data-direction="outbound"]) .sl-audit-details{right:0}
:host([data-direction="inbound"]) .sl-audit-details{left:0}
`;

// Inbound chips sit before the bubble (order -1) and outbound ones after it,
// both on the outer side; the host is appended last in the DOM either way, so
// the app's own children keep their places.
const HOST_STYLE = 'display:inline-flex;';

// AuditBadge marks its button expanded while the details show.
const OPEN_DETAILS = 'button[aria-expanded="true"]';

/** Views that may change soon (not in HighLevel yet, a failed read) are asked again after this long. */
export const RETRY_AFTER_MS = 30_000;

export interface ConversationIds {
  locationId: string;
  conversationId: string;
  contactId: string;
}

export interface AuditRowsOptions {
  api: ContentApi;
  ids: ConversationIds;
  signal: AbortSignal;
  setTimeout(callback: () => void, ms: number): unknown;
  now(): number;
  /** Asks for `sync` in the next animation frame (answers arrive between frames). */
  requestSync(): void;
  /** Quiet time before unknown ids are asked for; default 60 ms. */
  debounceMs?: number;
}

interface RowChip {
  host: HTMLElement;
  container: HTMLElement;
  messageId: string | null;
  view: AuditView | null;
  /** The chip's key: bumped to remount it, closing details left open. */
  generation: number;
}

interface CachedView {
  view: AuditView;
  at: number;
}

// One object per direction: a row still waiting for its answer compares equal
// to what it shows, so later frames leave its chip alone.
const LOADING_VIEWS = {
  inbound: { state: 'loading', direction: 'inbound', tone: 'neutral' },
  outbound: { state: 'loading', direction: 'outbound', tone: 'neutral' },
} as const satisfies Record<string, AuditView>;

function loadingView(row: MessageRow): AuditView {
  return row.direction === 'inbound' ? LOADING_VIEWS.inbound : LOADING_VIEWS.outbound;
}

function mayChange(view: AuditView): boolean {
  return (
    view.state === 'error' ||
    (view.state === 'unmatched' && view.message === 'Not in HighLevel yet')
  );
}

/** The audit chips of one conversation's message list. */
export class AuditRows {
  private chips = new WeakMap<Element, RowChip>();
  private readonly views = new Map<string, CachedView>();
  private readonly queued = new Set<string>();
  private readonly inFlight = new Set<string>();
  private timer = false;
  private scroller: HTMLElement;
  /** Set by a pass from rowsChanged; the frame's pass that follows has nothing left to do. */
  private upToDate = false;

  constructor(
    scroller: HTMLElement,
    private readonly options: AuditRowsOptions,
  ) {
    this.scroller = scroller;
    options.signal.addEventListener('abort', () => this.clear(), { once: true });
  }

  /** Follows a scroller the app replaced. */
  setScroller(scroller: HTMLElement): void {
    if (scroller === this.scroller) return;
    this.clear();
    this.scroller = scroller;
    this.upToDate = false;
  }

  /**
   * The page changed rows of the list: brings their chips up to date now.
   * Call it from the MutationObserver's callback, so that the chips change in
   * the same frame as their rows.
   */
  rowsChanged(): void {
    this.sync();
    this.upToDate = true;
  }

  /**
   * The session's once-a-frame pass, for what did not come with a row change
   * (answers, a new scroller); skipped when rowsChanged has just done it.
   */
  onFrame(): void {
    if (this.upToDate) this.upToDate = false;
    else this.sync();
  }

  /**
   * Brings every rendered row's chip up to date: mounts chips on new rows,
   * re-renders rows that show another message, and queues unknown ids.
   */
  sync(): void {
    if (this.options.signal.aborted) return;
    for (const row of listMessageRows(this.scroller)) this.syncRow(row);
  }

  private syncRow(row: Element): void {
    const read = readMessageRow(row);
    let chip = this.chips.get(row);
    if (!read) {
      // A recycled row now shows a date chip or a loader.
      if (chip) this.detach(chip);
      return;
    }
    const item = querySelf<HTMLElement>(row, 'messageItem')?.element ?? (row as HTMLElement);
    if (!chip) {
      const { host, container } = createShadowMount(
        row.ownerDocument,
        AUDIT_HOST_TAG,
        AUDIT_CSS + EXTRA_CSS,
        HOST_STYLE,
      );
      chip = { host, container, messageId: null, view: null, generation: 0 };
      this.chips.set(row, chip);
    }
    if (chip.host.parentElement !== item || chip.host.nextSibling !== null) item.append(chip.host);
    if (chip.host.dataset.direction !== read.direction) {
      chip.host.dataset.direction = read.direction;
      chip.host.style.order = read.direction === 'inbound' ? '-1' : '';
    }

    const cached = this.views.get(read.messageId);
    if (!cached || (mayChange(cached.view) && this.options.now() - cached.at > RETRY_AFTER_MS)) {
      this.queue(read.messageId);
    }
    const view = cached?.view ?? loadingView(read);
    if (chip.messageId !== read.messageId || chip.view !== view) {
      // A recycled row must not keep the last message's details open: a new key
      // remounts the chip. Only then, since a remount costs several times a patch.
      if (chip.messageId !== read.messageId && chip.container.querySelector(OPEN_DETAILS)) {
        chip.generation += 1;
      }
      chip.messageId = read.messageId;
      chip.view = view;
      chip.host.dataset.messageId = read.messageId;
      render(h(AuditBadge, { key: chip.generation, view }), chip.container);
    }
  }

  private detach(chip: RowChip): void {
    render(null, chip.container);
    chip.host.remove();
    chip.messageId = null;
    chip.view = null;
  }

  private queue(messageId: string): void {
    if (this.inFlight.has(messageId)) return;
    this.queued.add(messageId);
    if (this.timer) return;
    this.timer = true;
    this.options.setTimeout(() => {
      this.timer = false;
      void this.flush();
    }, this.options.debounceMs ?? 60);
  }

  private async flush(): Promise<void> {
    while (this.queued.size > 0 && !this.options.signal.aborted) {
      const batch = [...this.queued].slice(0, MAX_AUDIT_IDS);
      for (const id of batch) {
        this.queued.delete(id);
        this.inFlight.add(id);
      }
      let answer: Record<string, AuditView>;
      try {
        answer = await this.options.api('audit', { ...this.options.ids, messageIds: batch });
      } catch (error) {
        const message = error instanceof Error ? error.message : 'Audit failed';
        const failed: AuditView = {
          state: 'error',
          direction: 'outbound',
          tone: 'neutral',
          message,
        };
        answer = Object.fromEntries(batch.map((id) => [id, failed]));
      }
      if (this.options.signal.aborted) return;
      const at = this.options.now();
      for (const id of batch) {
        this.inFlight.delete(id);
        const view = answer[id];
        if (view) this.views.set(id, { view, at });
      }
      this.upToDate = false;
      this.options.requestSync();
    }
  }

  /** The cached view of a message, for tests and the session. */
  viewOf(messageId: string): AuditView | undefined {
    return this.views.get(messageId)?.view;
  }

  /** Removes every chip from the page; a later `sync` mounts them afresh. */
  clear(): void {
    for (const host of this.scroller.querySelectorAll(AUDIT_HOST_TAG)) {
      const container = host.shadowRoot?.lastElementChild;
      if (container) render(null, container);
      host.remove();
    }
    this.chips = new WeakMap();
    this.upToDate = false;
  }
}
