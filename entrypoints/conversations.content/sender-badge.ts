/**
 * One open conversation on the page: the sender badge beside HighLevel's send
 * button (with its tooltip and switcher) and the audit chips on the message
 * rows. Everything it adds ends with its abort signal, which the controller
 * aborts when the agent moves to another conversation or the extension
 * reloads. All DOM work runs in one animation frame per change, but for the
 * audit chips, which follow their rows at once (see audit-chips.ts).
 */
import { h, render } from 'preact';
import { SenderLensRoot } from '@/components/SenderLensRoot';
import { SENDER_LENS_CSS } from '@/components/styles';
import type { ContentApi } from '@/lib/content/api';
import { type FrameBatch, frameBatch, type RequestFrame } from '@/lib/content/frame';
import { createShadowMount, type ShadowMount } from '@/lib/content/shadow';
import type { SenderViewResponse } from '@/lib/messaging/requests/conversation';
import type { SenderView, SwitcherOption, SwitcherUser } from '@/lib/messaging/views';
import { type ConversationViewOk, readConversationView } from '@/lib/page/adapter';
import { WATCHED_ATTRIBUTES } from '@/lib/page/selectors';
import { AUDIT_HOST_TAG, AuditRows } from './audit-chips';
import { HighLevelPicker } from './from-picker';
import { SEND_HOST_TAG, SENT_HOST_TAG, SendBar } from './send-bar';
import type { SendUi } from './send-ui';

export const BADGE_HOST_TAG = 'sender-lens-badge';

const BADGE_HOST_STYLE =
  'display:inline-flex;align-items:center;margin-right:8px;position:relative;z-index:5;';

const LOADING: SenderView = {
  state: 'loading',
  inferred: false,
  warnings: [],
  trace: [],
  freshness: '',
};

export interface SessionEnv {
  doc: Document;
  api: ContentApi;
  requestFrame: RequestFrame;
  setTimeout(callback: () => void, ms: number): unknown;
  now(): number;
  /** Loads the send action's views (./send-ui.ts) on first need. */
  loadSendUi(): Promise<SendUi>;
}

const OWN_HOSTS: ReadonlySet<string> = new Set([
  BADGE_HOST_TAG,
  AUDIT_HOST_TAG,
  SEND_HOST_TAG,
  SENT_HOST_TAG,
]);

function isOwnHost(node: Node): boolean {
  return node.nodeType === Node.ELEMENT_NODE && OWN_HOSTS.has((node as Element).localName);
}

/**
 * Whether a mutation came from the page rather than from the session's own
 * writes (a chip's host attached or given its message id). Skipping our own
 * writes saves a second pass over every row in the next frame. A removal of
 * our host still counts: the app may have dropped it while re-rendering.
 */
function isPageChange(record: MutationRecord): boolean {
  if (record.type === 'attributes') return !isOwnHost(record.target);
  if (record.removedNodes.length > 0) return true;
  for (const node of record.addedNodes) if (!isOwnHost(node)) return true;
  return false;
}

function errorView(error: unknown): SenderView {
  return {
    ...LOADING,
    state: 'error',
    message: error instanceof Error ? error.message : 'Sender Lens could not work out the sender.',
  };
}

/** The badge, tooltip, switcher and audit chips of one open conversation. */
export class ConversationSession {
  private view: ConversationViewOk;
  private senderView: SenderView = LOADING;
  private options: SwitcherOption[] = [];
  private users: SwitcherUser[] | undefined;
  private openSignal = 0;
  private readonly picker: HighLevelPicker;
  private badge: ShadowMount | null = null;
  private bar: SendBar | null = null;
  private dirty = true;
  private audit: AuditRows;
  private auditScope: AbortController;
  private readonly frame: FrameBatch;
  private readonly observer: MutationObserver;
  /** Whether the page changed outside the message list since it was last read. */
  private viewStale = true;
  private seq = 0;

  constructor(
    private readonly env: SessionEnv,
    view: ConversationViewOk,
    private userId: string | undefined,
    private readonly signal: AbortSignal,
  ) {
    this.view = view;
    this.frame = frameBatch(env.requestFrame, () => this.onFrame());
    this.observer = new MutationObserver((records) => {
      let changed = false;
      let rows = false;
      for (const record of records) {
        if (!isPageChange(record)) continue;
        changed = true;
        // Rows come and go inside the scroller all the time; only a change
        // elsewhere can touch the composer, the contact link or the scroller itself.
        if (this.view.scroller.contains(record.target)) rows = true;
        else this.viewStale = true;
      }
      // Chips now, before the page paints these rows (see audit-chips.ts); the rest waits for the frame.
      if (rows && this.view.scroller.isConnected) this.audit.rowsChanged();
      if (changed) {
        this.bar?.pageChanged();
        this.frame.schedule();
      }
    });
    this.auditScope = new AbortController();
    this.audit = this.newAudit();
    this.picker = new HighLevelPicker({
      doc: env.doc,
      signal,
      composer: () => this.view.composer,
      options: () => this.options,
      // The agent's own pick in HighLevel's picker is a manual pick, as one in the switcher.
      onPick: (e164) => void this.pick(e164, false),
      schedule: () => this.markDirty(),
      now: env.now,
    });
    signal.addEventListener('abort', () => this.destroy(), { once: true });
  }

  /** The conversation's ids as the page shows them now. */
  get ids() {
    const { locationId, conversationId, contactId } = this.view;
    return { locationId, conversationId, contactId };
  }

  /** Mounts the UI and asks for the sender. */
  start(): void {
    if (this.signal.aborted) return;
    this.observer.observe(this.env.doc.documentElement, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: [...WATCHED_ATTRIBUTES],
    });
    this.bar = new SendBar({
      doc: this.env.doc,
      api: this.env.api,
      signal: this.signal,
      ids: () => ({
        ...this.ids,
        ...(this.userId === undefined ? {} : { userId: this.userId }),
      }),
      composer: () => this.view.composer,
      scroller: () => this.view.scroller,
      markDirty: () => this.frame.schedule(),
      loadUi: () => this.env.loadSendUi(),
    });
    this.frame.schedule();
    void this.refresh();
  }

  /** A send of this conversation changed (the background said so). */
  refreshSends(): void {
    void this.bar?.refreshSends();
  }

  /** The logged-in user changed (the page's probe answered). */
  setUser(userId: string | undefined): void {
    if (userId === this.userId) return;
    this.userId = userId;
    void this.refresh();
  }

  /** Opens the quick switcher (the keyboard shortcut). */
  openSwitcher(): void {
    this.openSignal += 1;
    this.markDirty();
  }

  /** Asks the background for the sender again; only the latest answer is shown. */
  async refresh(): Promise<void> {
    const seq = ++this.seq;
    const payload = { ...this.ids, ...(this.userId === undefined ? {} : { userId: this.userId }) };
    try {
      this.apply(await this.env.api('sender-view', payload), seq);
    } catch (error) {
      if (seq === this.seq) {
        this.show(errorView(error));
        this.bar?.setReadiness(null);
      }
    }
  }

  private apply(response: SenderViewResponse, seq: number): void {
    if (seq !== this.seq || this.signal.aborted) return;
    this.options = response.options;
    this.users = response.users;
    this.show(response.view);
    this.bar?.setReadiness(response);
  }

  private show(view: SenderView): void {
    this.senderView = view;
    this.markDirty();
  }

  /**
   * Records a manual pick. One from the switcher (`drive`) also sets HighLevel's picker,
   * the only time Sender Lens touches HighLevel's controls; one made there needs no setting.
   */
  private async pick(e164: string, drive = true): Promise<void> {
    const seq = ++this.seq;
    try {
      const payload = {
        ...this.ids,
        ...(this.userId === undefined ? {} : { userId: this.userId }),
        number: e164,
      };
      this.apply(await this.env.api('pick', payload), seq);
    } catch (error) {
      if (seq === this.seq) this.show(errorView(error));
      return;
    }
    if (drive) await this.picker.set(e164);
  }

  private async chooseUser(userId: string): Promise<void> {
    try {
      await this.env.api('i-am', { locationId: this.view.locationId, userId });
    } catch (error) {
      this.show(errorView(error));
      return;
    }
    await this.refresh();
  }

  private markDirty(): void {
    this.dirty = true;
    this.frame.schedule();
  }

  private newAudit(): AuditRows {
    return new AuditRows(this.view.scroller, {
      api: this.env.api,
      ids: this.ids,
      signal: AbortSignal.any([this.signal, this.auditScope.signal]),
      setTimeout: this.env.setTimeout,
      now: this.env.now,
      requestSync: () => this.frame.schedule(),
    });
  }

  /** The one place the session reads and writes the page, once per frame. */
  private onFrame(): void {
    if (this.signal.aborted) return;
    if (this.viewStale || !this.view.scroller.isConnected) {
      this.viewStale = false;
      const next = readConversationView(this.env.doc);
      if (
        next.status === 'ok' &&
        next.locationId === this.view.locationId &&
        next.conversationId === this.view.conversationId
      ) {
        const contactChanged = next.contactId !== this.view.contactId;
        this.view = next;
        if (contactChanged) {
          this.auditScope.abort();
          this.auditScope = new AbortController();
          this.audit = this.newAudit();
          this.picker.reset();
          this.senderView = LOADING;
          this.dirty = true;
          void this.refresh();
        } else {
          this.audit.setScroller(next.scroller);
        }
      }
    }
    this.placeBadge();
    if (this.picker.read()) this.dirty = true;
    if (this.dirty && this.badge) {
      this.dirty = false;
      this.renderBadge();
    }
    this.bar?.place();
    this.bar?.render();
    this.audit.onFrame();
  }

  private placeBadge(): void {
    const send = this.view.composer.sendButton;
    // The composer may be gone for a moment while the app re-renders it.
    if (!send.isConnected) return;
    if (!this.badge) {
      this.badge = createShadowMount(
        this.env.doc,
        BADGE_HOST_TAG,
        SENDER_LENS_CSS,
        BADGE_HOST_STYLE,
      );
      this.dirty = true;
    }
    const next = this.bar?.host?.isConnected ? this.bar.host : send;
    if (this.badge.host.nextSibling !== next) next.before(this.badge.host);
  }

  private renderBadge(): void {
    if (!this.badge) return;
    const picker = this.picker.state(this.senderView);
    const view = picker ? { ...this.senderView, picker } : this.senderView;
    render(
      h(SenderLensRoot, {
        view,
        options: this.options,
        ...(this.users ? { users: this.users } : {}),
        onPick: (e164: string) => void this.pick(e164),
        onChooseUser: (id: string) => void this.chooseUser(id),
        openSwitcherSignal: this.openSignal,
      }),
      this.badge.container,
    );
  }

  private destroy(): void {
    this.observer.disconnect();
    this.frame.cancel();
    this.bar?.destroy();
    if (this.badge) {
      render(null, this.badge.container);
      this.badge.host.remove();
      this.badge = null;
    }
  }
}
