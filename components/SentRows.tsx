import type { SendRoute, SendView } from '../lib/messaging/send-views';
import { pressable } from './press';
import { spaced } from './spaced';

export interface SentRowsProps {
  sends: SendView[];
  onSendAgain(id: string): void;
}

const ROUTE_NAME: Record<SendRoute, string> = { twilio: 'Twilio', highlevel: 'HighLevel' };

// An empty body means media only, or a settled send whose text the log left out.
function bodyOf(send: SendView) {
  if (send.body) return <p class="sl-sent-body">{send.body}</p>;
  return (
    <p class="sl-sent-body sl-muted">
      {send.mediaCount > 0 ? '(media only)' : '(message text not kept)'}
    </p>
  );
}

/**
 * The rows drawn in the conversation for sends HighLevel's thread does not
 * show yet, each like an outbound message with its delivery state.
 */
export function SentRows({ sends, onSendAgain }: SentRowsProps) {
  return (
    // role="list" because list-style:none drops the list role in Safari.
    // biome-ignore lint/a11y/noRedundantRoles: see above
    <ul class="sl-sent" role="list">
      {sends.map((send) => {
        const via = `Sent via ${ROUTE_NAME[send.route]} from ${send.fromDisplay}`;
        return (
          <li
            key={send.id}
            class="sl-sent-row"
            // Names the row among HighLevel's own messages: who sent it, how, and where it stands.
            aria-label={`Sender Lens send to ${send.toDisplay}: ${via}, ${send.statusText}`}
          >
            <div class="sl-bubble">
              {bodyOf(send)}
              <p class="sl-via">
                {via}
                {send.mediaCount > 0 && ` · ${send.mediaCount} media`}
              </p>
              <p class="sl-sent-status">
                {spaced(
                  <span
                    class={`sl-pill sl-tone-${send.tone === 'pending' ? 'neutral' : send.tone}`}
                  >
                    <span class={`sl-dot sl-dot-${send.tone}`} aria-hidden="true" />
                    {send.statusText}
                  </span>,
                  send.advice && <span class="sl-advice">{send.advice}</span>,
                )}
              </p>
              {send.canSendAgain && (
                <button type="button" class="sl-again" {...pressable(() => onSendAgain(send.id))}>
                  Send again
                </button>
              )}
            </div>
          </li>
        );
      })}
    </ul>
  );
}
