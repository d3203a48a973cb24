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
    expect(text(tip)).toContain("HighLevel's own number picker shows the same number.");
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
