// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { AuditBadge } from '../../components/AuditBadge';
import type { AuditView } from '../../lib/messaging/views';
import { click, type Mounted, mount, one, press, syntheticClick, text } from './dom';
import { auditView } from './fixtures';

let mounted: Mounted | undefined;
afterEach(() => mounted?.unmount());

function chip(view: AuditView) {
  mounted = mount(<AuditBadge view={view} id="m1" />);
  return one<HTMLButtonElement>(mounted.root, 'button');
}
const details = () => mounted?.root.querySelector('.sl-audit-details') ?? null;
const row = (term: string) => {
  const dt = [...(details()?.querySelectorAll('dt') ?? [])].find((el) => text(el) === term);
  return text(dt?.nextElementSibling);
};

describe('AuditBadge', () => {
  it('shows the number, direction and status of an exact match', () => {
    const button = chip(auditView());
    expect(text(button)).toBe('Sent from ↗ (415) 555-0111 undelivered');
    expect(button.querySelector('.sl-dot-bad')).not.toBeNull();
    expect(button.querySelector('.sl-mark')).toBeNull();
  });

  it('marks a match by time and text as inferred, and an inbound row as received', () => {
    const button = chip(
      auditView({ state: 'inferred', direction: 'inbound', status: 'received', tone: 'ok' }),
    );
    expect(text(button)).toBe('Received on ↙ (415) 555-0111 received ≈inferred');
  });

  it('shows a warning on the chip', () => {
    const button = chip(auditView({ warning: 'Sent from a released number' }));
    expect(text(one(button, '.sl-mark-warn .sl-sr'))).toBe('Sent from a released number');
    expect(button.className).toContain('sl-tone-warn');
  });

  it('opens details on click and closes on a second click', () => {
    const button = chip(auditView());
    expect(details()).toBeNull();
    click(button);
    expect(button.getAttribute('aria-expanded')).toBe('true');
    expect(button.getAttribute('aria-controls')).toBe(details()?.id);
    click(button);
    expect(details()).toBeNull();
  });

  it('does not open for a page script’s click', () => {
    syntheticClick(chip(auditView()));
    expect(details()).toBeNull();
  });

  it('opens details on Enter and Space, and Escape closes them', () => {
    const button = chip(auditView());
    press(button, 'Enter');
    expect(details()).not.toBeNull();
    press(button, 'Escape');
    expect(details()).toBeNull();
    press(button, ' ');
    expect(details()).not.toBeNull();
  });

  it('shows the SID, status, error code in plain words, segments, price and time', () => {
    click(chip(auditView()));
    expect(row('Twilio SID')).toBe('SM0123456789abcdef0123456789abcdef');
    expect(row('Status')).toBe('undelivered');
    expect(row('Error')).toBe("30007: the contact's carrier filtered the message as spam");
    expect(row('Segments')).toBe('2');
    expect(row('Price')).toBe('$0.0158');
    expect(row('Time')).toBe('Jan 2, 2025, 10:04 AM');
    expect(row('From')).toBe('(415) 555-0111');
    expect(row('To')).toBe('(650) 555-0100');
    expect(row('Match')).toBe('Exact: matched by the provider message id');
    expect(row('Line')).toBe("Jane's line (415) 555-0111");
  });

  it('says when an error code has no explanation', () => {
    const view = auditView();
    if (view.details) view.details = { ...view.details, errorCode: 30999, errorText: undefined };
    click(chip(view));
    expect(row('Error')).toBe('30999: Sender Lens has no plain explanation for this code');
  });

  it('shows an unmatched row in words, with its message in the details', () => {
    const button = chip({
      state: 'unmatched',
      direction: 'outbound',
      tone: 'neutral',
      message: 'No Twilio message within 2 minutes',
    });
    expect(text(button)).toBe('No Twilio message within 2 minutes');
    click(button);
    expect(text(details())).toBe('No Twilio message within 2 minutes');
  });

  it('shows loading while Twilio is checked', () => {
    const button = chip({ state: 'loading', direction: 'outbound', tone: 'neutral' });
    expect(text(button)).toBe('Checking Twilio…');
    expect(button.getAttribute('aria-busy')).toBe('true');
  });
});
