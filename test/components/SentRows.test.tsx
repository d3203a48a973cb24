// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SentRows } from '../../components/SentRows';
import { SEND_CSS } from '../../components/styles';
import type { SendView } from '../../lib/messaging/send-views';
import { click, type Mounted, mount, one, press, syntheticClick, text } from './dom';
import { sendView, unknownSend } from './fixtures';

let mounted: Mounted | undefined;
afterEach(() => mounted?.unmount());

function rows(sends: SendView[]) {
  const onSendAgain = vi.fn();
  mounted = mount(<SentRows sends={sends} onSendAgain={onSendAgain} />, { shadow: true });
  const root = mounted.root;
  const list = one(root, '[role="list"]');
  const items = [...list.querySelectorAll<HTMLElement>(':scope > li')];
  return { root, list, items, onSendAgain };
}

describe('SentRows', () => {
  it('draws one labelled list item a send, in a list with no heading', () => {
    const { root, list, items } = rows([
      sendView(),
      unknownSend({ route: 'highlevel', fromDisplay: '(650) 555-0144' }),
    ]);
    expect(list.tagName).toBe('UL');
    expect(root.querySelector('h1, h2, h3, h4, h5, h6')).toBeNull();
    expect(items.map((item) => item.getAttribute('aria-label'))).toEqual([
      'Sender Lens send to (650) 555-0100: Sent via Twilio from (415) 555-0111, Delivered',
      'Sender Lens send to (650) 555-0100: Sent via HighLevel from (650) 555-0144, Outcome unknown',
    ]);
  });

  it('lays each row out as an outbound message, on the right', () => {
    const { items } = rows([sendView()]);
    expect(items[0]?.className).toBe('sl-sent-row');
    expect(SEND_CSS).toContain('.sl-sent-row{display:flex;justify-content:flex-end');
  });

  it('shows the body, the route and the sender', () => {
    const { items } = rows([sendView({ body: 'See you\nat 3' })]);
    const item = items[0] as HTMLElement;
    expect(one(item, '.sl-sent-body').textContent).toBe('See you\nat 3');
    expect(text(one(item, '.sl-via'))).toBe('Sent via Twilio from (415) 555-0111');
  });

  it('says "(media only)" for a send without text, and counts its media', () => {
    const { items } = rows([
      sendView({ body: '', mediaCount: 2 }),
      sendView({ id: 'send-0003', body: '' }),
    ]);
    expect(items.map((item) => text(item.querySelector('.sl-sent-body')))).toEqual([
      '(media only)',
      '(message text not kept)',
    ]);
    expect(text(items[0]?.querySelector('.sl-via'))).toBe(
      'Sent via Twilio from (415) 555-0111 · 2 media',
    );
  });

  it('shows the status as a pill in its tone, with advice when there is some', () => {
    const { items } = rows([
      sendView(),
      sendView({ id: 'send-0004', tone: 'pending', statusText: 'Sending…' }),
      unknownSend(),
    ]);
    const pills = items.map((item) => one(item, '.sl-pill'));
    expect(pills.map(text)).toEqual(['Delivered', 'Sending…', 'Outcome unknown']);
    expect(pills[0]?.className).toContain('sl-tone-ok');
    expect(pills[0]?.querySelector('.sl-dot-ok')).not.toBeNull();
    expect(pills[1]?.querySelector('.sl-dot-pending')).not.toBeNull();
    expect(pills[2]?.className).toContain('sl-tone-bad');
    expect(items.map((item) => text(item.querySelector('.sl-advice')))).toEqual([
      '',
      '',
      "Check Twilio's log before sending again",
    ]);
  });

  it('offers Send again only on a send whose outcome is unknown', () => {
    const { items, onSendAgain } = rows([sendView(), unknownSend()]);
    expect(items[0]?.querySelector('button')).toBeNull();
    const again = one<HTMLButtonElement>(items[1] as HTMLElement, 'button');
    expect(text(again)).toBe('Send again');
    syntheticClick(again);
    expect(onSendAgain).not.toHaveBeenCalled();
    click(again);
    expect(onSendAgain).toHaveBeenCalledExactlyOnceWith('send-0002');
    press(again, 'Enter');
    expect(onSendAgain).toHaveBeenCalledTimes(2);
  });

  it('draws an empty list for no sends', () => {
    const { items } = rows([]);
    expect(items).toHaveLength(0);
  });
});
