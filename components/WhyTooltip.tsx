import type { SenderView, TraceLine } from '../lib/messaging/views';

export interface WhyTooltipProps {
  /** Referenced by the badge's aria-describedby. */
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

const PICKER: Record<NonNullable<SenderView['pickerAgreement']>, string> = {
  agrees: "HighLevel's own number picker shows the same number.",
  selected: "Sender Lens selected this number in HighLevel's own number picker.",
  'no-picker': "HighLevel shows no number picker here, so HighLevel's send may use another number.",
  'not-listed':
    "This number is not in HighLevel's own picker, so HighLevel's send may use another number.",
};

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
 * says when it is open. It stays in the DOM while closed so aria-describedby
 * always resolves.
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
      <p>{summary(view)}</p>
      {view.state === 'blocked' && view.wouldHaveBeen && (
        <p>The rules would have used {view.wouldHaveBeen}.</p>
      )}
      {view.warnings.length > 0 && (
        <ul class="sl-warnings">
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
      {view.state === 'sender' && view.pickerAgreement && <p>{PICKER[view.pickerAgreement]}</p>}
      <p class="sl-fresh">{view.freshness}</p>
    </div>
  );
}
