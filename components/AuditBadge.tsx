import { useId, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { AuditView } from '../lib/messaging/views';
import { AuditDetails } from './AuditDetails';
import { spaced } from './spaced';
import { trusted } from './trusted';

export interface AuditBadgeProps {
  view: AuditView;
  /** Base for element ids; pass one when several badges share a shadow root. */
  id?: string;
}

function label(view: AuditView) {
  switch (view.state) {
    case 'loading':
      return <span class="sl-muted">Checking Twilio…</span>;
    case 'unmatched':
      return <span class="sl-muted">{view.message ?? 'No Twilio match'}</span>;
    case 'error':
      return <span>{view.message ?? 'Audit failed'}</span>;
    default:
      return spaced(
        <span class="sl-sr">{view.direction === 'outbound' ? 'Sent from' : 'Received on'}</span>,
        <span aria-hidden="true">{view.direction === 'outbound' ? '↗' : '↙'}</span>,
        <span class="sl-number">{view.numberDisplay ?? 'unknown number'}</span>,
        view.status && (
          <span class="sl-status">
            <span class={`sl-dot sl-dot-${view.tone}`} aria-hidden="true" />
            {view.status}
          </span>
        ),
        view.state === 'inferred' && (
          <span class="sl-mark" title="Matched by time and text">
            <span aria-hidden="true">≈</span>
            <span class="sl-sr">inferred</span>
          </span>
        ),
      );
  }
}

/**
 * The chip on a message row: the number it went out from or came in on, per
 * Twilio's log, with its delivery status. Click, Enter or Space shows details.
 */
export function AuditBadge({ view, id }: AuditBadgeProps) {
  const [open, setOpen] = useState(false);
  const generated = useId();
  const detailsId = `${id ?? generated}-details`;
  const toggle = () => setOpen((was) => !was);
  const details = useRef<HTMLDivElement>(null);
  const [down, setDown] = useState(false);

  // The details open upwards; on a top row the scrolling panel would clip them, so measure on
  // opening and open downwards when the room above is short and there is more below.
  useLayoutEffect(() => {
    const box = details.current;
    if (!open || !box) return setDown(false);
    let top = 0;
    let bottom = innerHeight;
    // Up through the row and the shadow host to the panel: every ancestor that clips.
    for (let node = box.parentNode as Element | null; node?.localName; ) {
      if (getComputedStyle(node).overflowY !== 'visible') {
        const rect = node.getBoundingClientRect();
        top = Math.max(top, rect.top);
        bottom = Math.min(bottom, rect.bottom);
      }
      const up: Node | null = node.parentNode;
      node = ((up as ShadowRoot | null)?.host ?? up) as Element | null;
    }
    const chip = (box.parentNode as Element).getBoundingClientRect();
    const above = chip.top - top;
    setDown(above < box.offsetHeight + 4 && bottom - chip.bottom > above);
    // Again when the view changes: details that arrive after opening are taller.
  }, [open, view]);

  return (
    <span class="sl-audit">
      <button
        type="button"
        class={`sl-chip sl-tone-${view.warning ? 'warn' : view.tone === 'bad' ? 'bad' : 'neutral'}`}
        aria-expanded={open}
        aria-controls={open ? detailsId : undefined}
        aria-busy={view.state === 'loading'}
        title={view.numberName}
        onClick={trusted(() => toggle())}
        onKeyDown={trusted((event: KeyboardEvent) => {
          if (event.key === 'Enter' || event.key === ' ') {
            // preventDefault stops the native click that would toggle a second time.
            event.preventDefault();
            toggle();
          } else if (event.key === 'Escape' && open) {
            event.preventDefault();
            event.stopPropagation();
            setOpen(false);
          }
        })}
        onKeyUp={(event) => {
          // Firefox clicks a button on Space's keyup even when keydown was prevented.
          if (event.key === ' ') event.preventDefault();
        }}
      >
        {label(view)}
        {view.warning && ' '}
        {view.warning && (
          <span class="sl-mark sl-mark-warn">
            <span aria-hidden="true">!</span>
            <span class="sl-sr">{view.warning}</span>
          </span>
        )}
      </button>
      {open && <AuditDetails id={detailsId} view={view} boxRef={details} down={down} />}
    </span>
  );
}
