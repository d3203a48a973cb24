import type { Ref } from 'preact';
import type { AuditView } from '../lib/messaging/views';

export interface AuditDetailsProps {
  id: string;
  view: AuditView;
  boxRef?: Ref<HTMLDivElement>;
  /** Opens below the chip: there is no room above it. */
  down?: boolean;
}

const MATCH: Partial<Record<AuditView['state'], string>> = {
  exact: 'Exact: matched by the provider message id',
  inferred: 'Inferred: matched by time and text',
};

/** Twilio's record of one message row: SID, status, error in plain words, segments, price, time. */
export function AuditDetails({ id, view, boxRef, down }: AuditDetailsProps) {
  const d = view.details;
  const rows: Array<[string, string]> = [];
  if (view.numberName) rows.push(['Line', `${view.numberName} ${view.numberDisplay ?? ''}`.trim()]);
  if (d) {
    rows.push(['From', d.from], ['To', d.to], ['Status', d.status]);
    if (d.errorCode !== undefined)
      rows.push([
        'Error',
        `${d.errorCode}: ${d.errorText ?? 'Sender Lens has no plain explanation for this code'}`,
      ]);
    if (d.segments !== undefined) rows.push(['Segments', String(d.segments)]);
    if (d.price) rows.push(['Price', d.price]);
    rows.push(['Time', d.sentAt], ['Twilio SID', d.sid]);
  }
  const match = MATCH[view.state];
  if (match) rows.push(['Match', match]);

  return (
    <div id={id} ref={boxRef} class={down ? 'sl-audit-details sl-down' : 'sl-audit-details'}>
      {view.warning && (
        <p class="sl-warn-line">
          <span aria-hidden="true">! </span>
          {view.warning}
        </p>
      )}
      {!d && <p>{view.message ?? 'No Twilio message matches this row.'}</p>}
      {rows.length > 0 && (
        <dl>
          {rows.map(([term, value]) => (
            <div key={term} class="sl-row">
              <dt>{term}</dt>
              <dd class={term === 'Twilio SID' ? 'sl-mono' : undefined}>{value}</dd>
            </div>
          ))}
        </dl>
      )}
    </div>
  );
}
