// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import {
  type ConversationViewOk,
  contactIdFromHref,
  listMessageRows,
  readConversationView,
  readMessageRow,
} from '@/lib/page/adapter';
import { type FixtureApi, loadFixture } from './load-fixture';

const ROUTE = '/v2/location/loc-demo/conversations/conversations';

let fixture: FixtureApi | undefined;
afterEach(() => fixture?.destroy());

function okView(): ConversationViewOk {
  const view = readConversationView(document);
  if (view.status !== 'ok') throw new Error(`expected an ok view, got ${JSON.stringify(view)}`);
  return view;
}

/** What the fixture's model says row `index` shows, in readMessageRow's terms. */
function expectedRow(f: FixtureApi, index: number) {
  const item = f.itemAt(index);
  if (!item || item.kind === 'date') return null;
  return { messageId: item.id, direction: item.direction, bodyText: item.body, index };
}

function rowsByIndex(scroller: ParentNode): Map<number, Element> {
  return new Map(
    listMessageRows(scroller).map((row) => [Number(row.getAttribute('data-index')), row]),
  );
}

describe('readConversationView', () => {
  it('reads the open conversation on the 2026-05-26 page', async () => {
    fixture = await loadFixture('main', {
      path: `${ROUTE}/conv-alice?category=team-inbox&tab=all`,
    });
    const view = okView();
    expect(view).toMatchObject({
      locationId: 'loc-demo',
      conversationId: 'conv-alice',
      contactId: 'ct-alice-morgan',
      contactIdFrom: 'contactLink',
      contactName: 'Alice Morgan',
    });
    expect(view.composer.input.id).toBe('composer-input-conv-alice');
    expect(view.composer.sendButton.id).toBe('conv-send-button-simple');
    expect(view.composer.footer.id).toBe('conv-composer-footer');
    expect(view.composer.channelPicker?.id).toBe('conv-provider-select-trigger');
    expect(view.scroller.id).toBe('conversation-panel');
    expect(view.matched.every((m) => m.alternate === 0)).toBe(true);
  });

  it('reads the same facts through the alternates on the 2026-08 page', async () => {
    fixture = await loadFixture('alt', { path: `${ROUTE}/conv-ben` });
    const view = okView();
    expect(view).toMatchObject({
      conversationId: 'conv-ben',
      contactId: 'ct-ben-carter',
      contactName: 'Ben Carter',
    });
    expect(view.composer.footer.id).toBe('composer-deferred-footer');
    const alternates = Object.fromEntries(view.matched.map((m) => [m.name, m.alternate]));
    expect(alternates).toMatchObject({ composerFooter: 1, contactName: 1, sendButton: 0 });
  });

  it('names every missing part on the unknown layout', async () => {
    fixture = await loadFixture('unknown', { path: `${ROUTE}/conv-alice` });
    expect(readConversationView(document)).toEqual({
      status: 'unrecognised',
      missing: ['messageScroller', 'composerFooter', 'composerInput', 'sendButton', 'contactLink'],
    });
  });

  it('is not a conversation on the list page or elsewhere in the CRM', async () => {
    fixture = await loadFixture('main', { path: ROUTE });
    expect(readConversationView(document)).toEqual({
      status: 'no-conversation',
      route: { locationId: 'loc-demo', conversationId: null },
    });
    window.history.replaceState(null, '', '/v2/location/loc-demo/contacts/smart_list/All');
    expect(readConversationView(document)).toEqual({ status: 'no-conversation', route: null });
  });

  it('reports a contact link whose address names no contact', async () => {
    fixture = await loadFixture('main', { path: `${ROUTE}/conv-alice` });
    document.querySelector('a[aria-label="View contact details"]')?.setAttribute('href', '#');
    expect(readConversationView(document)).toEqual({
      status: 'unrecognised',
      missing: ['contactId'],
    });
  });

  it('reads the contact id from the contact link first on the 2026-12-02 page', async () => {
    fixture = await loadFixture('dec', { path: `${ROUTE}/conv-alice` });
    const view = okView();
    expect(view).toMatchObject({ contactId: 'ct-alice-morgan', contactIdFrom: 'contactLink' });
    const names = view.matched.map((m) => m.name);
    expect(names).toContain('contactLink');
    expect(names).not.toContain('activeConversationCard');
  });

  it('reads the contact id from the active card when the page has no contact link, and says so', async () => {
    const f = await loadFixture('dec-no-link', { path: `${ROUTE}/conv-alice` });
    fixture = f;
    const view = okView();
    expect(view).toMatchObject({
      conversationId: 'conv-alice',
      contactId: 'ct-alice-morgan',
      contactIdFrom: 'activeConversationCard',
    });
    expect(view.matched).toContainEqual({
      name: 'activeConversationCard',
      alternate: 0,
      selector: '[data-conversation-id][data-is-active="true"]',
    });
    expect(view.matched.map((m) => m.name)).not.toContain('contactLink');
    f.navigate('conv-ben');
    expect(okView()).toMatchObject({
      contactId: 'ct-ben-carter',
      contactIdFrom: 'activeConversationCard',
    });
  });

  it('reads the contact id from the active card when the contact link names no contact', async () => {
    fixture = await loadFixture('dec', { path: `${ROUTE}/conv-alice` });
    document.querySelector('a[aria-label="View contact details"]')?.setAttribute('href', '#');
    const view = okView();
    expect(view).toMatchObject({
      contactId: 'ct-alice-morgan',
      contactIdFrom: 'activeConversationCard',
    });
    expect(view.matched.map((m) => m.name)).not.toContain('contactLink');
  });

  it('trusts only the active card of the open conversation, with a well-formed contact id', async () => {
    fixture = await loadFixture('dec-no-link', { path: `${ROUTE}/conv-alice` });
    const card = (id: string) =>
      document.querySelector(`[data-conversation-id="${id}"]`) as HTMLElement;
    // Mid-switch, the list still marks the previous conversation active.
    card('conv-alice').setAttribute('data-is-active', 'false');
    card('conv-ben').setAttribute('data-is-active', 'true');
    expect(readConversationView(document)).toEqual({
      status: 'unrecognised',
      missing: ['contactLink'],
    });
    card('conv-alice').setAttribute('data-is-active', 'true');
    expect(okView().contactId).toBe('ct-alice-morgan');
    for (const bad of ['', 'ct alice', 'ct/alice', 'x'.repeat(129)]) {
      card('conv-alice').setAttribute('contactid', bad);
      expect(readConversationView(document), bad).toEqual({
        status: 'unrecognised',
        missing: ['contactLink'],
      });
    }
    card('conv-alice').removeAttribute('contactid');
    expect(readConversationView(document)).toMatchObject({ status: 'unrecognised' });
  });

  it('names the contact id as missing when the link names none and no card helps', async () => {
    fixture = await loadFixture('dec', { path: `${ROUTE}/conv-alice` });
    document.querySelector('a[aria-label="View contact details"]')?.setAttribute('href', '#');
    document.querySelector('[data-is-active="true"]')?.setAttribute('contactid', '');
    expect(readConversationView(document)).toEqual({
      status: 'unrecognised',
      missing: ['contactId'],
    });
  });

  it('follows client-side navigation; the composer elements are reused', async () => {
    fixture = await loadFixture('main', { path: `${ROUTE}/conv-alice` });
    const before = okView();
    fixture.navigate('conv-gina');
    const after = okView();
    expect(after).toMatchObject({
      conversationId: 'conv-gina',
      contactId: 'ct-gina-russo',
      contactName: 'Gina Russo',
    });
    expect(after.composer.input).toBe(before.composer.input);
    expect(after.composer.input.id).toBe('composer-input-conv-gina');
    expect(window.location.pathname).toBe(`${ROUTE}/conv-gina`);
  });

  it('falls back to a null name when the header has none', async () => {
    fixture = await loadFixture('main', { path: `${ROUTE}/conv-alice` });
    const name = document.querySelector('[data-testid="CENTRALPANEL_NAME"]');
    if (name) name.textContent = '   ';
    expect(okView().contactName).toBeNull();
  });
});

describe('contactIdFromHref', () => {
  const base = 'https://app.gohighlevel.com/v2/location/loc-demo/conversations/conversations/c1';
  it.each([
    ['/v2/location/loc-demo/contacts/detail/ct-1', 'ct-1'],
    ['https://app.myagency.com/v2/location/L/contacts/detail/AbC123/', 'AbC123'],
    ['/v2/location/L/contacts/detail/ct-1?tab=notes', 'ct-1'],
    ['/v2/location/L/contacts/detail/ct-1#x', 'ct-1'],
  ])('%s → %s', (href, id) => {
    expect(contactIdFromHref(href, base)).toBe(id);
  });
  it.each([
    '#',
    '/v2/location/L/contacts/detail/',
    '/v2/location/L/contacts/detail/ct-1/notes',
    '/v2/location/L/contacts/detail/bad%20id',
    '/v2/location/L/contacts/detail/%E0%A4%A',
    'http://[bad',
  ])('%s → null', (href) => {
    expect(contactIdFromHref(href, base)).toBeNull();
  });
});

describe('message rows of the virtual list', () => {
  it('reads every row as the fixture model says, date chips as null', async () => {
    fixture = await loadFixture('main', { path: `${ROUTE}/conv-alice` });
    const rows = listMessageRows(okView().scroller);
    expect(rows.map((row) => readMessageRow(row))).toEqual(
      rows.map((_, i) => expectedRow(fixture as FixtureApi, i)),
    );
    expect(rows.map((row) => readMessageRow(row)?.direction ?? 'chip')).toEqual([
      'chip',
      'outbound',
      'inbound',
      'outbound',
      'chip',
      'inbound',
    ]);
  });

  it('a recycled row reads as its new message: same elements, new id, text and direction', async () => {
    const f = await loadFixture('main', { path: `${ROUTE}/conv-hank` });
    fixture = f;
    const { scroller } = okView();
    f.scrollToIndex(200);
    const before = rowsByIndex(scroller);
    expect([...before.keys()]).toEqual(Array.from({ length: f.POOL }, (_, i) => 200 + i));
    // Scrolling up one row hands the element of row 229 to row 199.
    f.scrollToIndex(199);
    const after = rowsByIndex(scroller);
    const recycled = before.get(229) as Element;
    expect(after.get(199)).toBe(recycled);
    expect(after.has(229)).toBe(false);
    // Every other element keeps its row.
    for (let i = 200; i < 229; i++) expect(after.get(i)).toBe(before.get(i));

    // Find a step where a message row becomes another message row, to check that even the
    // message element inside is patched in place rather than replaced.
    let checked = 0;
    for (let top = 198; top > 150 && checked < 3; top--) {
      const rows = rowsByIndex(scroller);
      const element = rows.get(top + f.POOL) as Element;
      const first = readMessageRow(element);
      const inner = element.firstElementChild;
      f.scrollToIndex(top);
      const second = readMessageRow(element);
      expect(element.getAttribute('data-index')).toBe(String(top));
      expect(second).toEqual(expectedRow(f, top));
      if (first && second) {
        expect(element.firstElementChild).toBe(inner);
        expect(second.messageId).not.toBe(first.messageId);
        checked++;
      }
    }
    expect(checked).toBe(3);
    for (const [index, row] of rowsByIndex(scroller)) {
      expect(readMessageRow(row)).toEqual(expectedRow(f, index));
    }
  });

  it('direction changes with the recycled element when the new message goes the other way', async () => {
    const f = await loadFixture('main', { path: `${ROUTE}/conv-hank` });
    fixture = f;
    const { scroller } = okView();
    let flips = 0;
    for (let top = 300; top > 200 && flips === 0; top--) {
      f.scrollToIndex(top);
      const element = rowsByIndex(scroller).get(top + f.POOL - 1) as Element;
      const first = readMessageRow(element);
      f.scrollToIndex(top - 1);
      const second = readMessageRow(element);
      if (first && second && first.direction !== second.direction) flips++;
    }
    expect(flips).toBe(1);
  });

  it('lists rows in list order even when the DOM order differs', async () => {
    const f = await loadFixture('main', { path: `${ROUTE}/conv-hank` });
    fixture = f;
    const { scroller } = okView();
    f.scrollToIndex(107);
    const domOrder = [...scroller.querySelectorAll('[data-index]')].map((r) =>
      Number(r.getAttribute('data-index')),
    );
    expect(domOrder).not.toEqual([...domOrder].sort((a, b) => a - b));
    const listed = listMessageRows(scroller).map((r) => Number(r.getAttribute('data-index')));
    expect(listed).toEqual(Array.from({ length: 30 }, (_, i) => 107 + i));
  });

  it('ignores a nested data-index inside a row', () => {
    document.body.innerHTML = `
      <div id="s">
        <div data-index="1"><div class="message-item" data-message-id="m1">
          <div class="message-container mr-auto"><div data-index="0">gallery</div></div>
        </div></div>
        <div data-index="0"><div id="date-label-x">Today</div></div>
      </div>`;
    const rows = listMessageRows(document.getElementById('s') as HTMLElement);
    expect(rows.map((r) => r.getAttribute('data-index'))).toEqual(['0', '1']);
    expect(readMessageRow(rows[1] as Element)).toMatchObject({
      messageId: 'm1',
      direction: 'inbound',
    });
  });

  it('reads the alternates: ASSERT_SENT_MSG items and chat bubbles', async () => {
    fixture = await loadFixture('alt', { path: `${ROUTE}/conv-alice` });
    const rows = listMessageRows(okView().scroller);
    expect(rows.map((row) => readMessageRow(row))).toEqual(
      rows.map((_, i) => expectedRow(fixture as FixtureApi, i)),
    );
  });

  it('reads the 2026-12-02 page: ASSERT_SENT_MSG on inbound rows too, stray .mr-auto ignored', async () => {
    fixture = await loadFixture('dec', { path: `${ROUTE}/conv-alice` });
    const rows = listMessageRows(okView().scroller);
    expect(rows.map((row) => readMessageRow(row))).toEqual(
      rows.map((_, i) => expectedRow(fixture as FixtureApi, i)),
    );
    const inbound = rows.filter((row) => readMessageRow(row)?.direction === 'inbound');
    expect(inbound).toHaveLength(2);
    for (const row of inbound) {
      expect(row.querySelector('[data-testid="ASSERT_SENT_MSG"]')).not.toBeNull();
    }
  });

  it('a message without a direction container is unknown, whatever .mr-auto or ASSERT_SENT_MSG it holds', () => {
    document.body.innerHTML = `
      <div data-index="0"><div class="message-item" data-message-id="a" data-testid="ASSERT_SENT_MSG">
        <div class="activity"><span class="mr-auto">Call ended</span></div></div></div>
      <div data-index="1"><div data-testid="ASSERT_SENT_MSG" data-message-id="b">
        <div class="message-container mr-auto"><p>hi</p></div></div></div>`;
    const rows = [...document.querySelectorAll('[data-index]')];
    expect(readMessageRow(rows[0] as Element)?.direction).toBe('unknown');
    expect(readMessageRow(rows[1] as Element)?.direction).toBe('inbound');
  });

  it('reads the text of .text-[14px] inside the message, not the whole bubble', () => {
    document.body.innerHTML = `
      <div data-index="0"><div class="message-item" data-message-id="a">
        <div class="message-container mr-auto"><div class="chat-message">
          <p class="text-[14px] leading-5">See you at 3</p><span class="reaction">👍</span>
        </div></div></div></div>`;
    const row = document.querySelector('[data-index]') as Element;
    expect(readMessageRow(row)?.bodyText).toBe('See you at 3');
  });

  it('outbound wins over an inner .mr-auto; no marker means unknown', () => {
    document.body.innerHTML = `
      <div data-index="0"><div class="message-item" data-message-id="a">
        <div class="message-container ml-auto"><span class="mr-auto">x</span></div></div></div>
      <div data-index="1"><div class="message-item" data-message-id="b"><p>y</p></div></div>
      <div data-index="2"><div class="message-item" data-message-id="has space">z</div></div>`;
    const rows = [...document.querySelectorAll('[data-index]')];
    expect(readMessageRow(rows[0] as Element)?.direction).toBe('outbound');
    expect(readMessageRow(rows[1] as Element)).toEqual({
      messageId: 'b',
      direction: 'unknown',
      bodyText: '',
      index: 1,
    });
    expect(readMessageRow(rows[2] as Element)).toBeNull();
  });

  it('bursts of new messages appear at the bottom while the list sticks to it', async () => {
    const f = await loadFixture('main', { path: `${ROUTE}/conv-alice` });
    fixture = f;
    const { scroller } = okView();
    f.appendMessages(40, 'inbound');
    const rows = listMessageRows(scroller);
    expect(rows).toHaveLength(30);
    const last = readMessageRow(rows[rows.length - 1] as Element);
    expect(last).toMatchObject({ direction: 'outbound', bodyText: 'Sent burst message 40 of 40' });
    expect(last?.index).toBe(f.state().total - 1);
  });

  it('the send button appends an outbound row with the typed text', async () => {
    const f = await loadFixture('main', { path: `${ROUTE}/conv-alice` });
    fixture = f;
    const view = okView();
    (view.composer.input as HTMLTextAreaElement).value = 'See you at 3pm';
    view.composer.sendButton.click();
    const rows = listMessageRows(view.scroller);
    const last = readMessageRow(rows[rows.length - 1] as Element);
    expect(last).toMatchObject({ direction: 'outbound', bodyText: 'See you at 3pm' });
    expect(f.sent).toEqual([
      {
        conversationId: 'conv-alice',
        messageId: last?.messageId,
        body: 'See you at 3pm',
        from: '+14155550101',
      },
    ]);
  });
});
