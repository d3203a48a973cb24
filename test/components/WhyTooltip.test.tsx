// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { WhyTooltip } from '../../components/WhyTooltip';
import type { SenderView } from '../../lib/messaging/views';
import { type Mounted, mount, one, text } from './dom';
import { blockedView, senderView } from './fixtures';

let mounted: Mounted | undefined;
afterEach(() => mounted?.unmount());

function tooltip(view: SenderView, open = true) {
  mounted = mount(<WhyTooltip id="why" open={open} view={view} />);
  return one(mounted.root, '[role="tooltip"]');
}

describe('WhyTooltip', () => {
  it('lists each trace line with its outcome in words, its label and its reason', () => {
    const tip = tooltip(senderView());
    const lines = [...tip.querySelectorAll('li.sl-step')].map(text);
    expect(lines).toEqual([
      '– Not applicable Picked number: No number was picked for this send.',
      '✕ Skipped Last pick: (415) 555-0199 was picked for Pat Kim on 2025-01-02 but has been released. inferred',
      '✓ Applied Your number: Jane Doe is assigned (415) 555-0111.',
    ]);
  });

  it('says when the sender rests on the "I am …" choice, and how to change it', () => {
    const line = (view: SenderView) => tooltip(view).querySelector('.sl-chosen');
    expect(line(senderView())).toBeNull();
    mounted?.unmount();
    expect(text(line(senderView({ chosenUser: 'Jane Doe' })))).toBe(
      'You chose to be Jane Doe in this sub-account (the page did not say who is logged in). To change it, open the switcher from this badge and type a name.',
    );
    mounted?.unmount();
    expect(line(blockedView({ chosenUser: 'Jane Doe' }))).not.toBeNull();
  });

  it('marks only inferred lines as inferred', () => {
    const tip = tooltip(senderView());
    const marked = [...tip.querySelectorAll('li.sl-step')].map(
      (li) => li.querySelector('.sl-tag-inferred') !== null,
    );
    expect(marked).toEqual([false, true, false]);
  });

  it('says which number and why, and how fresh the data is', () => {
    const tip = tooltip(senderView());
    expect(tip.id).toBe('why');
    expect(text(tip)).toContain(
      "Next SMS goes out from (415) 555-0111 (Jane's line), your number.",
    );
    expect(text(one(tip, '.sl-fresh'))).toBe('Synced 3 min ago');
    expect(text(tip)).toContain('HighLevel agrees: its own number picker shows the same number.');
  });

  it("names both numbers and the likeliest reason when HighLevel's picker differs", () => {
    const differs = (reason: 'pick-not-set' | 'unseen-pick' | 'stale-sync' | 'unknown-rule') =>
      text(
        one(
          tooltip(senderView({ picker: { state: 'differs', shown: '(415) 555-0101', reason } })),
          '.sl-warn-line',
        ),
      );
    expect(differs('unknown-rule')).toBe(
      "! HighLevel's own picker shows (415) 555-0101, not (415) 555-0111: HighLevel's send goes out from (415) 555-0101. Likeliest reason: HighLevel follows a rule the synced data cannot show (it preselects the contact's last-used number, for one).",
    );
    mounted?.unmount();
    expect(differs('unseen-pick')).toContain(
      "Likeliest reason: a pick in HighLevel's picker that Sender Lens did not see.",
    );
    mounted?.unmount();
    expect(differs('stale-sync')).toContain("Likeliest reason: Sender Lens's data is out of date");
    mounted?.unmount();
    expect(differs('pick-not-set')).toContain('Pick it again to set it.');
  });

  it("says when HighLevel's picker was not found, or could not be set", () => {
    expect(text(tooltip(senderView({ picker: { state: 'not-found' } })))).toContain(
      "HighLevel's number picker not found in the composer",
    );
    mounted?.unmount();
    const tip = tooltip(senderView({ picker: { state: 'not-set', why: 'not-listed' } }));
    expect(text(one(tip, '.sl-warn-line'))).toBe(
      "! Sender Lens could not set HighLevel's picker to (415) 555-0111: HighLevel does not offer that number to you. Choose it in HighLevel's picker, or HighLevel's send may use another number.",
    );
  });

  it('explains a refusal and the number the rules would have used', () => {
    const tip = tooltip(blockedView());
    expect(text(tip)).toContain('Blocked: Pat Kim texted STOP on 2025-01-02.');
    expect(text(tip)).toContain('The rules would have used (415) 555-0111.');
  });

  it('lists warnings', () => {
    const tip = tooltip(
      senderView({ warnings: ['Whether (415) 555-0111 can send SMS is unknown.'] }),
    );
    expect(text(one(tip, '.sl-warnings'))).toBe(
      '! Whether (415) 555-0111 can send SMS is unknown.',
    );
  });

  it('stays in the DOM but hidden while closed, so aria-describedby still resolves', () => {
    const tip = tooltip(senderView(), false);
    expect(tip.hidden).toBe(true);
    expect(text(tip)).toContain('Why this number');
  });
});
