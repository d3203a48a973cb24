import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { MAX_BODY_CHARACTERS, MAX_MEDIA_URLS } from '../lib/messaging/requests/send';
import type { SendRoute, SendView } from '../lib/messaging/send-views';
import { segmentsOf } from '../lib/sms/segments';
import { pressable } from './press';
import { spaced } from './spaced';
import { trusted } from './trusted';

export interface SendActionProps {
  /** The composer's text now. */
  body: string;
  /** The button says "Send via Twilio" or "Send via HighLevel". */
  route: SendRoute;
  /** The sender number, shown in the button's title. */
  fromDisplay?: string;
  /** Why no send can happen now (resolver refused, opted out...), in words. */
  refusal?: string;
  /** The latest send of this composer: its state shows next to the button. */
  last?: SendView;
  /** A send request is in flight. */
  busy: boolean;
  mediaUrls: string[];
  onMediaChange(urls: string[]): void;
  onSend(): void;
  onSendAgain(id: string): void;
  /** E.g. 'Ctrl+Shift+Enter', shown in the title and aria-keyshortcuts. */
  shortcut: string;
}

const ROUTE_NAME: Record<SendRoute, string> = { twilio: 'Twilio', highlevel: 'HighLevel' };
// At most this many characters are named in the counter; the rest are counted.
const NAMED = 5;
// The schema refuses longer media URLs.
const MAX_URL_LENGTH = 2048;

const counted = (n: number, one: string) => `${n} ${n === 1 ? one : `${one}s`}`;

// Spaces, controls, format characters and lone combining marks cannot be
// seen in quotes (a pasted no-break space is the usual culprit): name those by code.
function named(char: string): string {
  if (!/^[\p{Z}\p{C}\p{M}]$/u.test(char)) return `“${char}”`;
  return `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

function counter(body: string): string {
  const s = segmentsOf(body);
  const extra = s.ucs2Characters.length - NAMED;
  const why = s.ucs2Characters.slice(0, NAMED).map(named).join(' ');
  return [
    counted(s.segments, 'segment'),
    s.encoding === 'GSM-7'
      ? 'GSM-7'
      : `UCS-2 because of ${why}${extra > 0 ? ` and ${extra} more` : ''}`,
    `${s.characters}/${MAX_BODY_CHARACTERS}`,
  ].join(' · ');
}

function refusalOf(props: SendActionProps): string | undefined {
  if (props.refusal) return props.refusal;
  const over = props.body.length - MAX_BODY_CHARACTERS;
  if (over > 0) {
    return `${counted(over, 'character')} too long: Twilio takes at most ${MAX_BODY_CHARACTERS.toLocaleString('en-US')}`;
  }
  // A body of spaces alone would arrive as a blank text.
  if (props.body.trim() === '' && props.mediaUrls.length === 0) {
    return 'Nothing to send: type a message or add a media URL';
  }
  return undefined;
}

/** The URL to add, normalised, or what is wrong with the text typed. */
function checkMediaUrl(text: string, urls: string[]): { url: string } | { problem: string } {
  if (urls.length >= MAX_MEDIA_URLS) {
    return { problem: `Twilio takes at most ${MAX_MEDIA_URLS} media URLs` };
  }
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return { problem: 'Enter a full address starting with http:// or https://' };
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) {
    return { problem: 'Enter a full address starting with http:// or https://' };
  }
  if (url.href.length > MAX_URL_LENGTH) {
    return {
      problem: `That address is longer than ${MAX_URL_LENGTH.toLocaleString('en-US')} characters`,
    };
  }
  if (urls.includes(url.href)) return { problem: 'That URL is already added' };
  return { url: url.href };
}

// aria-keyshortcuts wants the browser's key names (Control, Meta), not the
// abbreviations people read.
const KEY_NAMES: Record<string, string> = {
  ctrl: 'Control',
  cmd: 'Meta',
  command: 'Meta',
  '⌘': 'Meta',
  option: 'Alt',
  opt: 'Alt',
  esc: 'Escape',
};
const ariaShortcut = (shortcut: string) =>
  shortcut
    .split('+')
    .map((key) => KEY_NAMES[key.trim().toLowerCase()] ?? key.trim())
    .join('+');

/**
 * The "Send via Twilio" action beside HighLevel's composer: the button, a
 * live segment counter, media URLs, and the state of the latest send. It only
 * reports intents; the content script sends.
 */
export function SendAction(props: SendActionProps) {
  const { body, busy, last, mediaUrls } = props;
  const base = useId();
  const reasonId = `${base}-reason`;
  const panelId = `${base}-media`;
  const inputId = `${base}-url`;
  const errorId = `${base}-url-error`;
  const [mediaOpen, setMediaOpen] = useState(false);
  const [draft, setDraft] = useState('');
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const input = useRef<HTMLInputElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  // The live region is first rendered empty, so screen readers have it in the
  // tree before the first count arrives and announce that count too.
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);

  const reason = refusalOf(props);
  const idle =
    props.refusal === undefined && props.body.trim() === '' && props.mediaUrls.length === 0;
  const blocked = reason !== undefined || busy;
  const route = ROUTE_NAME[props.route];
  const title = `Send via ${route}${props.fromDisplay ? ` from ${props.fromDisplay}` : ''} (${props.shortcut})`;

  const add = () => {
    const checked = checkMediaUrl(draft, mediaUrls);
    if ('problem' in checked) {
      setProblem(checked.problem);
      return;
    }
    props.onMediaChange([...mediaUrls, checked.url]);
    setDraft('');
    setProblem(undefined);
  };

  const addOnEnter = trusted((event: KeyboardEvent) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    add();
  });

  const remove = (url: string) => {
    props.onMediaChange(mediaUrls.filter((each) => each !== url));
    // The chip and its button are gone; keep keyboard focus nearby rather than on the page.
    (mediaOpen ? input : toggle).current?.focus();
  };

  return (
    <div class="sl-send">
      <div class="sl-send-row">
        <button
          type="button"
          class="sl-send-button"
          // aria-disabled, not disabled: the button stays in the Tab order, so
          // the reason it describes can still be reached and heard.
          aria-disabled={blocked || undefined}
          aria-busy={busy || undefined}
          aria-describedby={reason ? reasonId : undefined}
          aria-keyshortcuts={ariaShortcut(props.shortcut)}
          title={title}
          {...pressable(() => {
            if (!blocked) props.onSend();
          })}
        >
          Send via {route}
        </button>
        <span class="sl-count" role="status" aria-live="polite" aria-atomic="true">
          {ready && body !== '' ? counter(body) : ''}
        </span>
      </div>
      {reason && (
        // An empty message box is not a fault: said quietly, not in red.
        <p id={reasonId} class={idle ? 'sl-quiet' : 'sl-refusal'}>
          {reason}
        </p>
      )}
      <div class="sl-last-line">
        <span class="sl-last" role="status" aria-live="polite">
          {last &&
            spaced(
              <span class={`sl-pill sl-tone-${last.tone === 'pending' ? 'neutral' : last.tone}`}>
                <span class={`sl-dot sl-dot-${last.tone}`} aria-hidden="true" />
                {last.statusText}
              </span>,
              last.advice && <span class="sl-advice">{last.advice}</span>,
            )}
        </span>
        {last?.canSendAgain && (
          <button
            type="button"
            class="sl-again"
            aria-disabled={busy || undefined}
            {...pressable(() => {
              if (!busy) props.onSendAgain(last.id);
            })}
          >
            Send again
          </button>
        )}
      </div>
      <div class="sl-media">
        {mediaUrls.length > 0 && (
          // role="list" because list-style:none drops the list role in Safari.
          // biome-ignore lint/a11y/noRedundantRoles: see above
          <ul class="sl-chips" role="list" aria-label="Media URLs">
            {mediaUrls.map((url) => (
              <li key={url} class="sl-media-chip">
                <span class="sl-url" title={url}>
                  {url}
                </span>
                <button
                  type="button"
                  class="sl-remove"
                  aria-label={`Remove ${url}`}
                  {...pressable(() => remove(url))}
                >
                  <span aria-hidden="true">×</span>
                </button>
              </li>
            ))}
          </ul>
        )}
        <button
          type="button"
          ref={toggle}
          class="sl-disclose"
          aria-expanded={mediaOpen}
          aria-controls={panelId}
          {...pressable(() => setMediaOpen((was) => !was))}
        >
          Add media URL
        </button>
        <div id={panelId} class="sl-media-panel" hidden={!mediaOpen}>
          <label for={inputId}>Media URL</label>
          <input
            ref={input}
            id={inputId}
            type="url"
            inputMode="url"
            autocomplete="off"
            spellcheck={false}
            placeholder="https://"
            value={draft}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? errorId : undefined}
            onInput={(event) => {
              setDraft(event.currentTarget.value);
              setProblem(undefined);
            }}
            onKeyDown={(event) => {
              // Typing here must not reach HighLevel's page-wide shortcuts, which
              // see only our shadow host; chords with a modifier (the send
              // shortcut among them) still pass.
              if (!event.ctrlKey && !event.metaKey && !event.altKey) event.stopPropagation();
              addOnEnter(event);
            }}
          />
          <button type="button" class="sl-add" {...pressable(add)}>
            Add
          </button>
          {problem && (
            <p id={errorId} class="sl-error" role="alert">
              {problem}
            </p>
          )}
        </div>
      </div>
    </div>
  );
}
