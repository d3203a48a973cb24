import type { PageStatus as Status } from '../lib/messaging/requests/conversation';

export interface PageStatusProps {
  /** The active tab's page status; null when nothing was reported; undefined while loading. */
  status: Status | null | undefined;
}

// The page parts of lib/page's REQUIRED list, in the user's words.
const PARTS: Record<string, string> = {
  messageScroller: 'the message list',
  composerFooter: 'the message composer',
  composerInput: 'the message box',
  sendButton: 'the send button',
  contactLink: "the contact link or the open conversation's card",
  contactId: 'the contact id',
};

function list(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/**
 * The popup's line about the current tab: whether Sender Lens recognised the
 * HighLevel page, and if not, which parts it could not find.
 */
export function PageStatus({ status }: PageStatusProps) {
  if (status === undefined) return <p class="sl-page-status">Checking this tab…</p>;
  if (status === null) {
    return (
      <p class="sl-page-status">
        Sender Lens is not running on this tab. Open a HighLevel conversation to see which number
        the next SMS goes out from.
      </p>
    );
  }
  switch (status.status) {
    case 'ok':
      return (
        <p class="sl-page-status" data-status="ok">
          Working on this conversation: the sender badge is beside HighLevel's send button.
          {status.contactIdFrom === 'activeConversationCard' &&
            " The contact comes from the conversation's card in the list: the contact panel shows no readable contact link."}
        </p>
      );
    case 'no-conversation':
      return (
        <p class="sl-page-status" data-status="no-conversation">
          Open a conversation to see which number the next SMS goes out from.
        </p>
      );
    case 'unrecognised': {
      const missing = (status.missing ?? []).map((name) => PARTS[name] ?? name);
      return (
        <div class="sl-page-status" data-status="unrecognised" role="status">
          <p>
            Sender Lens does not recognise this page's layout, so it shows nothing here rather than
            something wrong. HighLevel may have changed its Conversations page.
          </p>
          {missing.length > 0 && <p>Not found: {list(missing)}.</p>}
        </div>
      );
    }
  }
}
