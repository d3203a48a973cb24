// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import {
  diagnose,
  query,
  queryAll,
  querySelf,
  SELECTOR_NAMES,
  SELECTORS,
  type SelectorName,
} from '@/lib/page/selectors';
import type { FixtureName } from '../fixtures/serve';
import { type FixtureApi, loadFixture, loadStaticFixture } from './load-fixture';

/** name → [alternate that matched (-1: none), match count]; names left out must match nothing. */
type Expected = Partial<Record<SelectorName, [number, number]>>;

function counts(): Record<SelectorName, [number, number]> {
  return Object.fromEntries(
    diagnose(document).map((r) => [r.name, [r.alternate, r.count]]),
  ) as Record<SelectorName, [number, number]>;
}

function expectCounts(expected: Expected) {
  const full = Object.fromEntries(SELECTOR_NAMES.map((name) => [name, expected[name] ?? [-1, 0]]));
  expect(counts()).toEqual(full);
}

function openProviderDropdown() {
  document.querySelector<HTMLElement>('#conv-provider-select-trigger')?.click();
}

let fixture: FixtureApi | undefined;
afterEach(() => fixture?.destroy());

// Parts of the page that are in the HTML itself, before any script runs.
describe('static HTML of each fixture', () => {
  const shell: Record<FixtureName, Expected> = {
    main: {
      appRoot: [0, 1],
      layout: [0, 1],
      conversationList: [0, 1],
      centralPanel: [0, 1],
      contactDetails: [0, 1],
    },
    alt: {
      appRoot: [0, 1],
      layout: [0, 1],
      conversationList: [0, 1],
      centralPanel: [1, 1],
      contactDetails: [0, 1],
    },
    unknown: {},
    dec: {
      appRoot: [0, 1],
      layout: [0, 1],
      conversationList: [0, 1],
      centralPanel: [0, 1],
      contactDetails: [0, 1],
    },
    'dec-no-link': {},
    'dec-frames': {},
    picker: {
      appRoot: [0, 1],
      layout: [0, 1],
      conversationList: [0, 1],
      centralPanel: [0, 1],
      contactDetails: [0, 1],
    },
  };
  shell['dec-no-link'] = shell.dec;
  shell['dec-frames'] = shell.dec;
  for (const name of Object.keys(shell) as FixtureName[]) {
    it(`${name}: shell selectors match, nothing else does`, () => {
      loadStaticFixture(name);
      expectCounts(shell[name]);
    });
  }
});

describe('rendered fixture: conversations-2026-05-26 (primary selectors)', () => {
  // conv-alice: four messages on two days, so two date chips and six rows.
  const alice: Expected = {
    appRoot: [0, 1],
    layout: [0, 1],
    conversationList: [0, 1],
    conversationCheckbox: [0, 8],
    conversationPreview: [0, 8],
    centralPanel: [0, 1],
    contactName: [0, 1],
    messageScroller: [0, 1],
    dateChip: [0, 2],
    messageRow: [0, 6],
    messageItem: [0, 4],
    outbound: [0, 2],
    inbound: [0, 2],
    messageText: [0, 4],
    composerFooter: [0, 1],
    channelPicker: [0, 1],
    composerInput: [0, 1],
    sendButton: [0, 1],
    contactDetails: [0, 1],
    contactLink: [0, 1],
    ownerTrigger: [0, 1],
    recordTabs: [0, 1],
  };

  it('a short conversation: every row exists', async () => {
    fixture = await loadFixture('main');
    expectCounts(alice);
  });

  it('the open number picker lists every number as a Naive UI option', async () => {
    fixture = await loadFixture('main');
    openProviderDropdown();
    expectCounts({ ...alice, dropdownOption: [1, 12], dropdownOptionBody: [0, 12] });
  });

  it('a 500-message conversation keeps only POOL rows in the DOM', async () => {
    fixture = await loadFixture('main', {
      path: '/v2/location/loc-demo/conversations/conversations/conv-hank',
    });
    expect(fixture.POOL).toBe(30);
    const rows = queryAll(document, 'messageRow').elements;
    expect(rows).toHaveLength(30);
    const items = queryAll(document, 'messageItem').elements.length;
    const chips = queryAll(document, 'dateChip').elements.length;
    expect(items + chips).toBe(30);
    expect(items).toBeGreaterThan(0);
    fixture.scrollToIndex(0);
    expect(queryAll(document, 'messageRow').elements).toHaveLength(30);
  });

  it('the list page with no conversation open has no scroller or composer', async () => {
    fixture = await loadFixture('main', {
      path: '/v2/location/loc-demo/conversations/conversations',
    });
    expectCounts({
      appRoot: [0, 1],
      layout: [0, 1],
      conversationList: [0, 1],
      conversationCheckbox: [0, 8],
      conversationPreview: [0, 8],
      centralPanel: [0, 1],
      contactDetails: [0, 1],
    });
  });
});

describe('rendered fixture: conversations-alt-2026-08 (alternates only)', () => {
  const alice: Expected = {
    appRoot: [0, 1],
    layout: [0, 1],
    conversationList: [0, 1],
    conversationCheckbox: [0, 8],
    conversationPreview: [0, 8],
    centralPanel: [1, 1],
    contactName: [1, 1],
    messageScroller: [0, 1],
    dateChip: [0, 2],
    messageRow: [0, 6],
    messageItem: [1, 4],
    outbound: [1, 2],
    inbound: [1, 2],
    // Neither audited alternate: only our own broad `.chat-message`.
    messageText: [2, 4],
    composerFooter: [1, 1],
    channelPicker: [0, 1],
    composerInput: [0, 1],
    sendButton: [0, 1],
    contactDetails: [0, 1],
    contactLink: [0, 1],
    ownerTrigger: [0, 1],
    recordTabs: [0, 1],
  };

  it('every selector with an alternate matches through it', async () => {
    fixture = await loadFixture('alt');
    expectCounts(alice);
  });

  it('the open number picker renders HighRise options', async () => {
    fixture = await loadFixture('alt');
    openProviderDropdown();
    expectCounts({ ...alice, dropdownOption: [0, 12] });
  });
});

describe('rendered fixtures of 2026-12-02', () => {
  const alice: Expected = {
    appRoot: [0, 1],
    layout: [0, 1],
    conversationList: [0, 1],
    conversationCheckbox: [0, 8],
    conversationPreview: [0, 8],
    activeConversationCard: [0, 1],
    centralPanel: [0, 1],
    contactName: [0, 1],
    messageScroller: [0, 1],
    dateChip: [0, 2],
    messageRow: [0, 6],
    messageItem: [0, 4],
    outbound: [0, 2],
    inbound: [0, 2],
    messageText: [1, 4],
    composerFooter: [0, 1],
    channelPicker: [0, 1],
    composerInput: [0, 1],
    sendButton: [0, 1],
    contactDetails: [0, 1],
    contactLink: [0, 1],
    ownerTrigger: [0, 1],
    recordTabs: [0, 1],
  };

  it('conversations-2026-12-02: inbound only through message containers, text through .text-[14px]', async () => {
    fixture = await loadFixture('dec');
    expectCounts(alice);
    // Every message carries ASSERT_SENT_MSG, the two inbound ones too.
    const marked = document.querySelectorAll('[data-testid="ASSERT_SENT_MSG"]');
    expect(marked).toHaveLength(4);
    expect([...marked].filter((m) => m.querySelector('.mr-auto.message-container'))).toHaveLength(
      2,
    );
    // A bare .mr-auto would have counted the header, eight cards, the composer's channel row
    // and the two outbound time lines as inbound messages too.
    expect(document.querySelectorAll('.mr-auto')).toHaveLength(2 + 1 + 8 + 1 + 2);
  });

  it('conversations-2026-12-02: one active card, naming the open conversation and its contact', async () => {
    fixture = await loadFixture('dec');
    const card = query(document, 'activeConversationCard')?.element;
    expect(card?.getAttribute('data-conversation-id')).toBe('conv-alice');
    expect(card?.getAttribute('contactid')).toBe('ct-alice-morgan');
    expect(card?.getAttribute('locationid')).toBe('loc-demo');
    fixture.navigate('conv-ben');
    expect(queryAll(document, 'activeConversationCard').elements).toHaveLength(1);
    expect(query(document, 'activeConversationCard')?.element.getAttribute('contactid')).toBe(
      'ct-ben-carter',
    );
    expect(document.querySelectorAll('[data-is-active="false"]')).toHaveLength(7);
  });

  it('conversations-no-contact-link-2026-12-02: no contact link, the active card still there', async () => {
    fixture = await loadFixture('dec-no-link');
    const { contactLink: _, ...rest } = alice;
    expectCounts(rest);
  });

  it('conversations-frame-repaint-2026-12-02: same counts; a scroll repaints in the next animation frame', async () => {
    const frames: FrameRequestCallback[] = [];
    const requestFrame = window.requestAnimationFrame;
    window.requestAnimationFrame = (callback) => frames.push(callback);
    const runFrame = (at: number) => {
      for (const callback of frames.splice(0)) callback(at);
    };
    try {
      const f = await loadFixture('dec-frames', {
        path: '/v2/location/loc-demo/conversations/conversations/conv-hank',
      });
      fixture = f;
      expect(f.mode).toEqual({ contactLink: true, repaint: 'frame' });
      const indexes = () =>
        queryAll(document, 'messageRow').elements.map((row) =>
          Number(row.getAttribute('data-index')),
        );
      const before = indexes();
      expect(before).toHaveLength(30);
      runFrame(0);
      f.scrollToIndex(100);
      f.scrollToIndex(101);
      // Nothing moved yet, and both scrolls share one frame.
      expect(indexes()).toEqual(before);
      expect(frames).toHaveLength(1);
      runFrame(16);
      expect(indexes().sort((a, b) => a - b)).toEqual(
        Array.from({ length: 30 }, (_, i) => 101 + i),
      );
      expect(f.state().frames).toBe(2);
    } finally {
      window.requestAnimationFrame = requestFrame;
    }
  });
});

describe('rendered fixture: unknown-layout-2026-11-26', () => {
  it('no selector matches anything, even with a dropdown open', async () => {
    fixture = await loadFixture('unknown');
    expect(document.querySelectorAll('.msg[data-msg-id]').length).toBe(4);
    document.querySelector<HTMLElement>('#reply-from')?.click();
    expect(document.querySelectorAll('.menu-item').length).toBe(12);
    expectCounts({});
  });
});

describe('query helpers', () => {
  it('query reports the alternate that matched, primary first', () => {
    document.body.innerHTML =
      '<div class="conversation-header-title">A</div><div data-testid="conversation-header-name">B</div>';
    const match = query(document, 'contactName');
    expect(match).toMatchObject({ alternate: 1, selector: SELECTORS.contactName[1] });
    expect(match?.element.textContent).toBe('B');
    document.body.insertAdjacentHTML('beforeend', '<b data-testid="CENTRALPANEL_NAME">C</b>');
    expect(query(document, 'contactName')).toMatchObject({ alternate: 0 });
  });

  it('query returns null when nothing matches', () => {
    document.body.innerHTML = '<div id="other"></div>';
    expect(query(document, 'sendButton')).toBeNull();
  });

  it('queryAll takes every match of the first alternate only', () => {
    document.body.innerHTML =
      '<div class="n-dropdown-option">1</div><div class="n-dropdown-option">2</div>';
    expect(queryAll(document, 'dropdownOption')).toMatchObject({
      alternate: 1,
      elements: [{}, {}],
    });
    document.body.insertAdjacentHTML('beforeend', '<div class="hr-dropdown-option">3</div>');
    const all = queryAll(document, 'dropdownOption');
    expect(all.alternate).toBe(0);
    expect(all.elements.map((e) => e.textContent)).toEqual(['3']);
  });

  it('querySelf accepts the element itself', () => {
    document.body.innerHTML =
      '<div class="chat-bubble-outbound"><span class="mr-auto"></span></div>';
    const bubble = document.body.firstElementChild as Element;
    expect(querySelf(bubble, 'outbound')?.element).toBe(bubble);
    expect(query(bubble, 'outbound')).toBeNull();
  });

  it('rejects a name that is not in the table', () => {
    expect(() => query(document, 'nope' as SelectorName)).toThrow('Unknown selector name "nope"');
  });

  it('every name has at least one alternate and none is blank', () => {
    for (const name of SELECTOR_NAMES) {
      const alternates: readonly string[] = SELECTORS[name];
      expect(alternates.length, name).toBeGreaterThan(0);
      for (const selector of alternates) {
        expect(selector.trim(), name).not.toBe('');
        expect(() => document.querySelector(selector), selector).not.toThrow();
      }
    }
  });
});

describe('rendered fixture: conversations-2026-12-02 (channel picker, From picker)', () => {
  const alice: Expected = {
    appRoot: [0, 1],
    layout: [0, 1],
    conversationList: [0, 1],
    conversationCheckbox: [0, 8],
    conversationPreview: [0, 8],
    centralPanel: [0, 1],
    contactName: [0, 1],
    messageScroller: [0, 1],
    dateChip: [0, 2],
    messageRow: [0, 6],
    messageItem: [0, 4],
    outbound: [0, 2],
    inbound: [0, 2],
    messageText: [0, 4],
    composerFooter: [0, 1],
    channelPicker: [0, 1],
    composerInput: [0, 1],
    composerTextarea: [0, 1],
    sendButton: [0, 1],
    // The From picker's closed menu stays in the DOM: ten options Jane is offered, hidden.
    dropdownOption: [1, 10],
    dropdownOptionBody: [0, 10],
    contactDetails: [0, 1],
    contactLink: [0, 1],
    ownerTrigger: [0, 1],
    recordTabs: [0, 1],
  };

  it('the expanded composer: the channel picker, the textarea, and the From menu kept closed', async () => {
    fixture = await loadFixture('picker');
    expectCounts(alice);
    expect(document.querySelector('#conv-provider-select-trigger')?.textContent).toBe('SMS');
  });

  it('the open channel picker is a popover of channels, not of numbers', async () => {
    fixture = await loadFixture('picker');
    openProviderDropdown();
    expectCounts(alice);
    expect(
      [...document.querySelectorAll('#provider-select-popover .hr-popover__content > *')].map(
        (item) => item.textContent,
      ),
    ).toEqual(['SMS', 'Email', 'WhatsApp', 'Internal comment']);
  });

  it('collapsed, the composer has no textarea and no From picker', async () => {
    fixture = await loadFixture('picker');
    fixture.setExpanded(false);
    expectCounts({ ...alice, composerTextarea: [-1, 0] });
  });
});
