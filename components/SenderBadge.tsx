import type { ComponentChild, Ref } from 'preact';
import { useId } from 'preact/hooks';
import type { SenderView } from '../lib/messaging/views';
import { spaced } from './spaced';
import { trusted } from './trusted';

export interface SenderBadgeProps {
  view: SenderView;
  /** Id of the tooltip that explains the choice. */
  describedBy?: string;
  /** Id of the switcher's listbox. */
  controls?: string;
  /** Whether the switcher is open. */
  expanded: boolean;
  /** Click: open or close the switcher. */
  onToggle(): void;
  /** Enter, Space or an arrow key: open the switcher. */
  onOpen(): void;
  buttonRef?: Ref<HTMLButtonElement>;
  /** Tooltip handlers from useTooltip. */
  onMouseEnter?(): void;
  onMouseLeave?(): void;
  onFocus?(): void;
  onBlur?(): void;
  onKeyDown?(event: KeyboardEvent): void;
}

/** The note beside the badge on HighLevel's own From picker, and whether it is a warning. */
export function pickerNote(view: SenderView): { text: string; warn: boolean } | undefined {
  const picker = view.state === 'sender' ? view.picker : undefined;
  switch (picker?.state) {
    case 'agrees':
      return { text: 'HighLevel agrees', warn: false };
    case 'not-found':
      return { text: "HighLevel's number picker not found", warn: false };
    case 'differs':
      return { text: `HighLevel shows ${picker.shown}`, warn: true };
    case 'not-set':
      return { text: "Could not set HighLevel's picker", warn: true };
    default:
      return undefined;
  }
}

// A padlock, drawn inline so the view needs no asset.
function lockIcon() {
  return (
    <svg class="sl-icon" viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
      <path
        fill="currentColor"
        d="M5 7V5a3 3 0 0 1 6 0v2h.5A1.5 1.5 0 0 1 13 8.5v5a1.5 1.5 0 0 1-1.5 1.5h-7A1.5 1.5 0 0 1 3 13.5v-5A1.5 1.5 0 0 1 4.5 7H5Zm1.5 0h3V5a1.5 1.5 0 0 0-3 0v2Z"
      />
    </svg>
  );
}

/** The tone the badge wears: calm when all is clear, amber when a person should look. */
export function senderTone(view: SenderView): 'ok' | 'warn' | 'bad' | 'neutral' {
  if (view.state === 'blocked') return 'bad';
  if (view.state === 'error') return 'warn';
  if (view.state !== 'sender') return 'neutral';
  return view.warnings.length > 0 || view.inferred || pickerNote(view)?.warn ? 'warn' : 'ok';
}

function content(view: SenderView): ComponentChild {
  switch (view.state) {
    case 'loading':
      return <span class="sl-muted">Checking sender…</span>;
    case 'blocked':
      return spaced(
        lockIcon(),
        <strong>Blocked{view.blockedReason ? ':' : ''}</strong>,
        view.blockedReason && <span class="sl-reason">{view.blockedReason}</span>,
      );
    case 'not-synced':
      return <span>{view.message ?? 'Not synced yet'}</span>;
    case 'error':
      return spaced(
        <span aria-hidden="true">!</span>,
        <span>{view.message ?? 'Sender unknown'}</span>,
      );
    case 'sender':
      return spaced(
        <span class="sl-label">From</span>,
        <strong class="sl-number">
          {view.numberDisplay ?? view.numberE164 ?? 'unknown number'}
        </strong>,
        view.friendlyName && <span class="sl-name">{view.friendlyName}</span>,
        view.ruleWord && <span class="sl-rule">{view.ruleWord}</span>,
        view.inferred && (
          <span class="sl-mark" title="Rests on an inferred rule">
            <span aria-hidden="true">≈</span>
            <span class="sl-sr">inferred</span>
          </span>
        ),
        view.warnings.length > 0 && (
          <span class="sl-mark">
            <span aria-hidden="true">!</span>
            <span class="sl-sr">
              {view.warnings.length === 1 ? '1 warning' : `${view.warnings.length} warnings`}
            </span>
          </span>
        ),
      );
  }
}

/**
 * The pill beside HighLevel's send button: which number the next SMS leaves
 * from and by which rule. It is the button that opens the quick switcher.
 */
export function SenderBadge(props: SenderBadgeProps) {
  const { view, expanded } = props;
  const noteId = useId();
  const note = pickerNote(view);
  const describedBy = [note ? noteId : '', props.describedBy ?? ''].filter(Boolean).join(' ');

  const onKeyDown = (event: KeyboardEvent) => {
    props.onKeyDown?.(event);
    if (event.defaultPrevented) return;
    if (
      event.key === 'Enter' ||
      event.key === ' ' ||
      event.key === 'ArrowDown' ||
      event.key === 'ArrowUp'
    ) {
      // Handled here rather than left to the native click so that Enter, Space
      // and the arrows behave alike; preventDefault stops the click that would follow.
      event.preventDefault();
      props.onOpen();
    }
  };

  return (
    <span class="sl-badge-wrap">
      <button
        type="button"
        ref={props.buttonRef}
        class={`sl-badge sl-tone-${senderTone(view)}`}
        aria-haspopup="listbox"
        aria-expanded={expanded}
        aria-controls={expanded ? props.controls : undefined}
        aria-describedby={describedBy || undefined}
        aria-busy={view.state === 'loading'}
        onClick={trusted(() => props.onToggle())}
        onMouseDown={(event) => {
          // Keeps focus in the open listbox, so its focusout does not close it before this click toggles it.
          if (expanded) event.preventDefault();
        }}
        onKeyDown={trusted(onKeyDown)}
        // Firefox clicks a button on Space's keyup even when keydown was prevented.
        onKeyUp={(event) => {
          if (event.key === ' ') event.preventDefault();
        }}
        onMouseEnter={props.onMouseEnter}
        onMouseLeave={props.onMouseLeave}
        onFocus={props.onFocus}
        onBlur={props.onBlur}
      >
        {content(view)}{' '}
        <span class="sl-caret" aria-hidden="true">
          ▾
        </span>
      </button>
      {note && (
        <span id={noteId} class={note.warn ? 'sl-note sl-note-warn' : 'sl-note'}>
          {note.warn && <span aria-hidden="true">! </span>}
          {note.text}
        </span>
      )}
    </span>
  );
}
