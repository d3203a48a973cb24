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
import { type ConversationViewOk, type PickResult, readConversationView } from '@/lib/page/adapter';
import { WATCHED_ATTRIBUTES } from '@/lib/page/selectors';
import { AUDIT_HOST_TAG, AuditRows } from './audit-chips';
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
  /** lib/page's selectNumberInPicker, or a fake in tests. */
  selectNumber(
    doc: Document,
    number: string,
    options: { signal: AbortSignal },
  ): Promise<PickResult>;
}

type Agreement = NonNullable<SenderView['pickerAgreement']>;

/** Whether a piece of the page's text shows `e164`, compared on the last ten digits. */
export function textShowsNumber(text: string, e164: string): boolean {
  const wanted = e164.replace(/\D/g, '').slice(-10);
  return wanted.length >= 7 && text.replace(/\D/g, '').includes(wanted);
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
  private agreement: { number: string; result: Agreement } | null = null;
  private reselectTried = false;
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
    const { view } = response;
    // A pick made earlier (before a reload, or in another tab) is ours alone:
    // HighLevel's own picker must be set to it for HighLevel's send to agree.
    if (
      !this.reselectTried &&
      view.state === 'sender' &&
      view.ruleWord === 'picked' &&
      view.numberE164
    ) {
      this.reselectTried = true;
      const trigger = this.view.composer.providerTrigger;
      if (trigger && textShowsNumber(trigger.textContent ?? '', view.numberE164)) {
        this.agreement = { number: view.numberE164, result: 'agrees' };
        this.markDirty();
      } else {
        void this.selectInPicker(view.numberE164);
      }
    }
  }

  private show(view: SenderView): void {
    this.senderView = view;
    this.markDirty();
  }

  private async pick(e164: string): Promise<void> {
    const seq = ++this.seq;
    this.reselectTried = true;
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
    await this.selectInPicker(e164);
  }

  private async selectInPicker(e164: string): Promise<void> {
    let result: Agreement;
    try {
      result = await this.env.selectNumber(this.env.doc, e164, { signal: this.signal });
    } catch {
      result = 'no-picker';
    }
    if (this.signal.aborted) return;
    this.agreement = { number: e164, result };
    this.markDirty();
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
          this.agreement = null;
          this.reselectTried = false;
          this.senderView = LOADING;
          this.dirty = true;
          void this.refresh();
        } else {
          this.audit.setScroller(next.scroller);
        }
      }
    }
    this.placeBadge();
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
    const view =
      this.agreement && this.senderView.numberE164 === this.agreement.number
        ? { ...this.senderView, pickerAgreement: this.agreement.result }
        : this.senderView;
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
