import { describe, expect, it } from 'vitest';
import { parseRoute } from '@/lib/page/route';

const PATH = '/v2/location/ve9EPM428h8vShlRW1KT/conversations/conversations';

describe('parseRoute', () => {
  it.each([
    [`https://app.gohighlevel.com${PATH}/Xh3kWq9zT1`, 've9EPM428h8vShlRW1KT', 'Xh3kWq9zT1'],
    [
      `https://app.gohighlevel.com${PATH}/Xh3kWq9zT1?category=team-inbox&tab=all`,
      've9EPM428h8vShlRW1KT',
      'Xh3kWq9zT1',
    ],
    [
      `https://app.gohighlevel.com${PATH}/Xh3kWq9zT1?tab=unread#top`,
      've9EPM428h8vShlRW1KT',
      'Xh3kWq9zT1',
    ],
    [`https://app.gohighlevel.com${PATH}/Xh3kWq9zT1/`, 've9EPM428h8vShlRW1KT', 'Xh3kWq9zT1'],
    [`https://app.gohighlevel.com${PATH}/Xh3kWq9zT1//`, 've9EPM428h8vShlRW1KT', 'Xh3kWq9zT1'],
    [`https://app.gohighlevel.com${PATH}`, 've9EPM428h8vShlRW1KT', null],
    [`https://app.gohighlevel.com${PATH}/`, 've9EPM428h8vShlRW1KT', null],
    [
      `https://app.gohighlevel.com${PATH}?category=team-inbox&tab=all`,
      've9EPM428h8vShlRW1KT',
      null,
    ],
    // White-label and regional hosts: any host carries the route.
    ['https://app.myagency.com/v2/location/L1/conversations/conversations/C1', 'L1', 'C1'],
    ['https://crm.example.co.uk:8443/v2/location/L1/conversations/conversations/C1', 'L1', 'C1'],
    ['https://app.leadconnectorhq.com/v2/location/L1/conversations/conversations/C1', 'L1', 'C1'],
    [
      'http://127.0.0.1:41234/v2/location/loc-demo/conversations/conversations/conv-alice',
      'loc-demo',
      'conv-alice',
    ],
    [
      'https://app.gohighlevel.com/v2/location/a_b-c/conversations/conversations/d_e-f',
      'a_b-c',
      'd_e-f',
    ],
    // Percent-encoding of characters that are allowed anyway is undone.
    ['https://app.gohighlevel.com/v2/location/%4C1/conversations/conversations/C%31', 'L1', 'C1'],
  ])('%s', (url, locationId, conversationId) => {
    expect(parseRoute(url)).toEqual({ locationId, conversationId });
  });

  it.each([
    'https://app.gohighlevel.com/',
    'https://app.gohighlevel.com/v2/location/L1/dashboard',
    'https://app.gohighlevel.com/v2/location/L1/contacts/detail/ct1',
    'https://app.gohighlevel.com/v2/location/L1/conversations',
    'https://app.gohighlevel.com/v2/location/L1/conversations/manual_actions',
    'https://app.gohighlevel.com/v2/location/L1/conversations/templates',
    'https://app.gohighlevel.com/v2/location/L1/conversations/conversations/C1/extra',
    'https://app.gohighlevel.com/v2/location//conversations/conversations/C1',
    'https://app.gohighlevel.com/v1/location/L1/conversations/conversations/C1',
    'https://app.gohighlevel.com/V2/Location/L1/Conversations/Conversations/C1',
    'https://app.gohighlevel.com/prefix/v2/location/L1/conversations/conversations/C1',
    'https://app.gohighlevel.com/?next=/v2/location/L1/conversations/conversations/C1',
    'https://app.gohighlevel.com/#/v2/location/L1/conversations/conversations/C1',
    // Ids outside HighLevel's alphabet or length are not trusted as ids.
    'https://app.gohighlevel.com/v2/location/L%201/conversations/conversations/C1',
    'https://app.gohighlevel.com/v2/location/L1/conversations/conversations/C%2F1',
    'https://app.gohighlevel.com/v2/location/L1/conversations/conversations/%E0%A4%A',
    `https://app.gohighlevel.com/v2/location/${'a'.repeat(129)}/conversations/conversations/C1`,
    'https://app.gohighlevel.com/v2/location/L1/conversations/conversations/C1%3Cscript%3E',
    // Not web pages at all.
    'file:///v2/location/L1/conversations/conversations/C1',
    'chrome-extension://abc/v2/location/L1/conversations/conversations/C1',
    '/v2/location/L1/conversations/conversations/C1',
    'not a url',
    '',
  ])('%s → null', (url) => {
    expect(parseRoute(url)).toBeNull();
  });

  it('accepts URL objects', () => {
    const url = new URL(
      'https://app.gohighlevel.com/v2/location/L1/conversations/conversations/C1',
    );
    expect(parseRoute(url)).toEqual({ locationId: 'L1', conversationId: 'C1' });
  });

  it('accepts ids up to 128 characters', () => {
    const id = 'x'.repeat(128);
    expect(parseRoute(`https://a.b/v2/location/${id}/conversations/conversations/${id}`)).toEqual({
      locationId: id,
      conversationId: id,
    });
  });
});
