import type { PickerReason, PickerView, SenderView, TraceLine } from '../lib/messaging/views';

export interface WhyTooltipProps {
  /** `${id}-sum` and `${id}-warn` (the summary and the warnings) describe the badge. */
  id: string;
  open: boolean;
  view: SenderView;
  onMouseEnter?(): void;
  onMouseLeave?(): void;
}

// Icon and word together, so the outcome never rests on colour alone.
const OUTCOMES: Record<TraceLine['outcome'], [icon: string, word: string]> = {
  applied: ['✓', 'Applied'],
  skipped: ['✕', 'Skipped'],
  'not-applicable': ['–', 'Not applicable'],
};

const REASONS: Record<PickerReason, string> = {
  'pick-not-set':
    "the number was picked in Sender Lens, and HighLevel's picker on this page was not set to it (after a reload, or in another tab). Pick it again to set it.",
  'unseen-pick': "a pick in HighLevel's picker that Sender Lens did not see.",
  'stale-sync': "Sender Lens's data is out of date: sync again in its options.",
  'unknown-rule':
    "HighLevel follows a rule the synced data cannot show (it preselects the contact's last-used number, for one).",
};

const NOT_SET: Record<Extract<PickerView, { state: 'not-set' }>['why'], string> = {
  'did-not-open': 'the picker did not open',
  'not-listed': 'HighLevel does not offer that number to you',
  'did-not-change': 'the picker did not take the choice',
};

/** HighLevel's own From picker against the badge, in a sentence; a warning when they differ. */
function pickerLine(view: SenderView) {
  const picker = view.state === 'sender' ? view.picker : undefined;
  const ours = view.numberDisplay ?? view.numberE164;
  switch (picker?.state) {
    case 'agrees':
      return <p>HighLevel agrees: its own number picker shows the same number.</p>;
    case 'not-found':
      return (
        <p>
          HighLevel's number picker not found in the composer, so Sender Lens cannot check which
          number HighLevel's send uses. Expand the SMS composer to show it.
        </p>
      );
    case 'differs':
      return (
        <p class="sl-warn-line">
          <span aria-hidden="true">! </span>HighLevel's own picker shows {picker.shown}, not {ours}:
          HighLevel's send goes out from {picker.shown}. Likeliest reason: {REASONS[picker.reason]}
        </p>
      );
    case 'not-set':
      return (
        <p class="sl-warn-line">
          <span aria-hidden="true">! </span>Sender Lens could not set HighLevel's picker to {ours}:{' '}
          {NOT_SET[picker.why]}. Choose it in HighLevel's picker, or HighLevel's send may use
          another number.
        </p>
      );
    default:
      return null;
  }
}

function summary(view: SenderView) {
  switch (view.state) {
    case 'loading':
      return 'Checking which number the next SMS goes out from…';
    case 'not-synced':
      return view.message ?? 'Sender Lens has not synced this sub-account yet.';
    case 'error':
      return view.message ?? 'Sender Lens could not work out the sender.';
    case 'blocked':
      return `Blocked: ${view.blockedReason ?? 'no SMS can be sent'}.`;
    case 'sender': {
      const name = view.friendlyName ? ` (${view.friendlyName})` : '';
      const rule = view.ruleWord ? `, ${view.ruleWord}` : '';
      return `Next SMS goes out from ${view.numberDisplay ?? view.numberE164 ?? 'an unknown number'}${name}${rule}.`;
    }
  }
}

/**
 * "Why this number": the resolver's trace in words. Controlled: the parent
 * says when it is open. It stays in the DOM while closed so the badge's
 * aria-describedby (summary and warnings) always resolves.
 */
export function WhyTooltip({ id, open, view, onMouseEnter, onMouseLeave }: WhyTooltipProps) {
  return (
    <div
      id={id}
      role="tooltip"
      class="sl-pop sl-tooltip"
      hidden={!open}
      onMouseEnter={onMouseEnter}
      onMouseLeave={onMouseLeave}
    >
      <p class="sl-title">Why this number</p>
      <p id={`${id}-sum`}>{summary(view)}</p>
      {pickerLine(view)}
      {view.chosenUser && (
        <p class="sl-chosen">
          You chose to be {view.chosenUser} in this sub-account (the page did not say who is logged
          in). To change it, open the switcher from this badge and type a name.
        </p>
      )}
      {view.state === 'blocked' && view.wouldHaveBeen && (
        <p>The rules would have used {view.wouldHaveBeen}.</p>
      )}
      {view.warnings.length > 0 && (
        <ul id={`${id}-warn`} class="sl-warnings">
          {view.warnings.map((warning) => (
            <li key={warning}>
              <span aria-hidden="true">! </span>
              {warning}
            </li>
          ))}
        </ul>
      )}
      {view.trace.length > 0 && (
        <ol class="sl-trace">
          {view.trace.map((line, index) => {
            const [icon, word] = OUTCOMES[line.outcome];
            return (
              <li key={`${line.rule}-${index}`} class={`sl-step sl-${line.outcome}`}>
                <span class="sl-step-icon" aria-hidden="true">
                  {icon}
                </span>{' '}
                <span>
                  <span class="sl-outcome">{word}</span> <strong>{line.label}</strong>:{' '}
                  {line.reason}
                  {line.inferred && ' '}
                  {line.inferred && <span class="sl-tag sl-tag-inferred">inferred</span>}
                </span>
              </li>
            );
          })}
        </ol>
      )}
      <p class="sl-fresh">{view.freshness}</p>
    </div>
  );
}
