/**
 * Sending from the page: the "Send via Twilio" action beside HighLevel's
 * composer (with its segment counter and keyboard shortcut) and the rows of
 * sends that HighLevel's thread does not show, drawn after the thread's own. Only a trusted click or key
 * press of the agent starts a send; the request carries the body, the
 * contact and a key made here, and the background resolves the sender.
 */
import type { ContentApi } from '@/lib/content/api';
import { createShadowMount, type ShadowMount } from '@/lib/content/shadow';
import type { SenderViewResponse } from '@/lib/messaging/requests/conversation';
import type { SendRoute, SendView } from '@/lib/messaging/send-views';
import {
  type ComposerParts,
  clearComposerText,
  composerField,
  listMessageRows,
  readComposerText,
  readMessageRow,
} from '@/lib/page/adapter';
import type { SendUi } from './send-ui';

export const SEND_HOST_TAG = 'sender-lens-send';
export const SENT_HOST_TAG = 'sender-lens-sent';
export const SEND_SHORTCUT = 'Ctrl+Shift+Enter';

const SEND_HOST_STYLE =
  'display:inline-flex;align-items:center;margin-right:8px;position:relative;z-index:5;';
const SENT_HOST_STYLE = 'display:block;padding:4px 16px 8px;box-sizing:border-box;';
/** Rows drawn at most: the latest sends of the day. */
const MAX_ROWS = 10;

export interface SendBarEnv {
  doc: Document;
  api: ContentApi;
  signal: AbortSignal;
  /** The conversation and the user as the session knows them now. */
  ids(): { locationId: string; conversationId: string; contactId: string; userId?: string };
  composer(): ComposerParts;
  scroller(): HTMLElement;
  /** Asks for a frame in which `place` and `render` run. */
  markDirty(): void;
  /** A fresh idempotency key; crypto.randomUUID by default. */
  newKey?(): string;
  /** Loads the send action's views (./send-ui.ts); asked once, on first need. */
  loadUi(): Promise<SendUi>;
}

/** The send action and the drawn rows of one open conversation. */
export class SendBar {
  private body: string;
  private media: string[] = [];
  private busy = false;
  private last: SendView | undefined;
  private sends: SendView[] = [];
  /** The sends drawn now: `sends` less those the page shows, worked out when something changed. */
  private visible: SendView[] = [];
  private route: SendRoute = 'twilio';
  private refusal: string | undefined;
  private fromDisplay: string | undefined;
  private action: ShadowMount | null = null;
  private rows: ShadowMount | null = null;
  private dirty = true;
  private seq = 0;
  private ui: SendUi | null = null;
  private loading: Promise<void> | null = null;
  /** The agent just sent: bring the drawn rows into view once. */
  private reveal = false;

  constructor(private readonly env: SendBarEnv) {
    this.body = readComposerText(env.doc, env.composer());
    const options = { capture: true, signal: env.signal };
    // Reading what the agent types; nothing of the page's is changed here.
    env.doc.addEventListener('input', (event) => this.onInput(event), options);
    env.doc.addEventListener('keydown', (event) => this.onKeyDown(event), options);
    env.doc.addEventListener(
      'focusin',
      (event) => {
        if (this.isComposerField(event.target)) this.load();
      },
      options,
    );
    if (this.body !== '' || this.isComposerField(env.doc.activeElement)) this.load();
    void this.refreshSends();
  }

  /** Loads the views once; the bar draws nothing until they are here. */
  private load(): void {
    if (this.loading) return;
    this.loading = this.env.loadUi().then(
      (ui) => {
        this.ui = ui;
        this.changed();
      },
      () => {
        // Tried again at the next focus of the composer.
        this.loading = null;
      },
    );
  }

  /** What the sender view says about sending: the route, and why not, if not. */
  setReadiness(response: SenderViewResponse | null): void {
    this.route = response?.send?.route ?? 'twilio';
    const view = response?.view;
    this.fromDisplay = view?.numberDisplay;
    this.refusal =
      response === null || view === undefined || view.state !== 'sender'
        ? (view?.message ?? view?.blockedReason ?? 'Sender Lens does not know the sender yet.')
        : response.send?.refusal;
    this.changed();
  }

  /** Asks the background for this conversation's sends again. */
  async refreshSends(): Promise<void> {
    const seq = ++this.seq;
    const { locationId, conversationId } = this.env.ids();
    try {
      const sends = await this.env.api('conversation-sends', { locationId, conversationId });
      if (seq !== this.seq || this.env.signal.aborted) return;
      this.sends = sends;
      if (sends.length > 0) this.load();
      const last = this.last && sends.find((s) => s.id === this.last?.id);
      if (last) this.last = last;
      this.changed();
    } catch {
      // The rows stay as they were; the next change tries again.
    }
  }

  /** The action's host once mounted: the badge goes just before it. */
  get host(): Element | null {
    return this.action?.host ?? null;
  }

  /** Mounts the action just before HighLevel's send button, and the rows at the end of the thread. */
  place(): void {
    const { sendButton } = this.env.composer();
    const scroller = this.env.scroller();
    const { ui } = this;
    if (!sendButton.isConnected || ui === null) return;
    if (!this.action) {
      this.action = createShadowMount(this.env.doc, SEND_HOST_TAG, ui.css, SEND_HOST_STYLE);
      this.dirty = true;
    }
    // Badge, then this action, then HighLevel's send: Tab from the message box meets them in that order.
    if (this.action.host.nextSibling !== sendButton) sendButton.before(this.action.host);
    // Reading the page's rows only when something changed: place runs every frame.
    if (this.dirty) this.visible = this.visibleSends();
    if (this.visible.length > 0 && scroller.isConnected) {
      if (!this.rows) {
        this.rows = createShadowMount(this.env.doc, SENT_HOST_TAG, ui.css, SENT_HOST_STYLE);
        this.dirty = true;
      }
      // The latest messages of the thread: after the page's own rows.
      if (this.rows.host.parentElement !== scroller || this.rows.host.nextSibling !== null) {
        scroller.append(this.rows.host);
      }
      if (this.reveal) {
        this.reveal = false;
        this.rows.host.scrollIntoView({ block: 'nearest' });
      }
    } else if (this.rows) {
      ui.renderRows(this.rows.container, null);
      this.rows.host.remove();
      this.rows = null;
    }
  }

  render(): void {
    const { ui } = this;
    if (!this.dirty || ui === null) return;
    this.dirty = false;
    if (this.action) {
      ui.renderAction(this.action.container, {
        body: this.body,
        route: this.route,
        ...(this.fromDisplay === undefined ? {} : { fromDisplay: this.fromDisplay }),
        ...(this.refusal === undefined ? {} : { refusal: this.refusal }),
        ...(this.last === undefined ? {} : { last: this.last }),
        busy: this.busy,
        mediaUrls: this.media,
        onMediaChange: (urls: string[]) => {
          this.media = urls;
          this.changed();
        },
        onSend: () => void this.send(),
        onSendAgain: (id: string) => void this.sendAgain(id),
        shortcut: SEND_SHORTCUT,
      });
    }
    if (this.rows) {
      ui.renderRows(this.rows.container, {
        sends: this.visible,
        onSendAgain: (id: string) => void this.sendAgain(id),
      });
    }
  }

  /** The page's rows changed: a send HighLevel now shows is no longer drawn. */
  pageChanged(): void {
    if (this.sends.length > 0) this.changed();
  }

  destroy(): void {
    if (this.action) {
      this.ui?.renderAction(this.action.container, null);
      this.action.host.remove();
    }
    if (this.rows) {
      this.ui?.renderRows(this.rows.container, null);
      this.rows.host.remove();
    }
    this.action = null;
    this.rows = null;
  }

  private changed(): void {
    this.dirty = true;
    this.env.markDirty();
  }

  /** The latest sends, less those the page's own thread shows now. */
  private visibleSends(): SendView[] {
    if (this.sends.length === 0) return [];
    const ids = new Set<string>();
    const texts = new Set<string>();
    for (const element of listMessageRows(this.env.scroller())) {
      const row = readMessageRow(element);
      if (!row) continue;
      ids.add(row.messageId);
      if (row.direction === 'outbound') texts.add(row.bodyText);
    }
    return this.sends
      .filter(
        (s) =>
          !(s.providerId && ids.has(s.providerId)) &&
          !(s.body !== '' && texts.has(s.body.replace(/\s+/g, ' ').trim())),
      )
      .slice(-MAX_ROWS);
  }

  private isComposerField(target: EventTarget | null): boolean {
    if (!(target instanceof Node)) return false;
    const composer = this.env.composer();
    return target === composerField(this.env.doc, composer) || composer.input.contains(target);
  }

  private onInput(event: Event): void {
    // An untrusted input event may be the page's own script: read, but only
    // what the composer holds now.
    if (!this.isComposerField(event.target)) return;
    this.load();
    const body = readComposerText(this.env.doc, this.env.composer());
    if (body === this.body) return;
    this.body = body;
    this.changed();
  }

  private onKeyDown(event: KeyboardEvent): void {
    if (!event.isTrusted || event.repeat) return;
    if (event.key !== 'Enter' || !event.shiftKey || !(event.ctrlKey || event.metaKey)) return;
    if (!this.isComposerField(event.target)) return;
    // Ours: HighLevel's own Enter handling must not send the text as well.
    event.preventDefault();
    event.stopImmediatePropagation();
    this.body = readComposerText(this.env.doc, this.env.composer());
    void this.send();
  }

  private async send(): Promise<void> {
    if (this.busy || this.refusal !== undefined) return;
    const body = this.body;
    if (body.trim() === '' && this.media.length === 0) return;
    this.busy = true;
    this.changed();
    const { locationId, conversationId, contactId, userId } = this.env.ids();
    try {
      this.last = await this.env.api('send', {
        locationId,
        conversationId,
        contactId,
        ...(userId === undefined ? {} : { userId }),
        key: this.newKey(),
        body,
        ...(this.media.length === 0 ? {} : { mediaUrls: this.media }),
      });
      this.media = [];
      this.reveal = true;
      // The text went to the outbox: HighLevel's own send must not send it again.
      clearComposerText(this.env.doc, this.env.composer());
      this.body = readComposerText(this.env.doc, this.env.composer());
    } catch (error) {
      this.last = refusedView(error, this.route);
    } finally {
      this.busy = false;
      this.changed();
    }
    void this.refreshSends();
  }

  private async sendAgain(id: string): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.changed();
    const { locationId, conversationId } = this.env.ids();
    try {
      this.last = await this.env.api('send-again', {
        locationId,
        conversationId,
        id,
        key: this.newKey(),
      });
    } catch (error) {
      this.last = refusedView(error, this.route);
    } finally {
      this.busy = false;
      this.changed();
    }
    void this.refreshSends();
  }

  private newKey(): string {
    return this.env.newKey?.() ?? crypto.randomUUID();
  }
}

/** A refused request shown where the latest send's state goes: nothing was queued. */
function refusedView(error: unknown, route: SendRoute): SendView {
  return {
    id: 'refused',
    state: 'failed',
    route,
    fromE164: '',
    fromDisplay: '',
    toDisplay: '',
    body: '',
    mediaCount: 0,
    createdAt: new Date().toISOString(),
    tone: 'bad',
    statusText: `Not sent: ${error instanceof Error ? error.message : 'Sender Lens could not send it.'}`,
    canSendAgain: false,
  };
}
