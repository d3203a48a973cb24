import { beforeEach, describe, expect, it } from 'vitest';
import { createFakeTwilio, expectNoViolations, type FakeTwilio } from './index.ts';

const API = 'https://api.twilio.com';
const NOW = new Date('2025-03-04T10:00:00Z');
const RFC2822 =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} \+0000$/;

let tw: FakeTwilio;
let base: string;
let auth: string;

function get(path: string, headers: Record<string, string> = {}) {
  return tw.fetch(`${API}${path}`, { headers: { authorization: auth, ...headers } });
}

function send(fields: Record<string, string | string[]>, headers: Record<string, string> = {}) {
  const form = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) {
    for (const one of Array.isArray(v) ? v : [v]) form.append(k, one);
  }
  return tw.fetch(`${base}/Messages.json`, {
    method: 'POST',
    headers: { authorization: auth, ...headers },
    body: form,
  });
}

type Page = {
  next_page_uri: string | null;
  messages: { sid: string; date_sent: string; to: string; from: string; body: string }[];
};

/** Follows next_page_uri to the end, as a client would. */
async function allPages(firstPath: string): Promise<Page[]> {
  const pages: Page[] = [];
  let next: string | null = firstPath;
  while (next) {
    const res = await get(next);
    expect(res.status).toBe(200);
    const page = (await res.json()) as Page;
    pages.push(page);
    next = page.next_page_uri;
  }
  return pages;
}

beforeEach(async () => {
  tw = await createFakeTwilio({ now: () => NOW });
  auth = `Basic ${Buffer.from(`${tw.accountSid}:${tw.authToken}`).toString('base64')}`;
  base = `${API}/2010-04-01/Accounts/${tw.accountSid}`;
  tw.addIncomingNumber({ phoneNumber: '+14155550101', friendlyName: 'Main' });
  tw.addIncomingNumber({ phoneNumber: '+14155550104', sms: false, voice: true });
});

describe('fake Twilio: valid requests', () => {
  it('answers the account, numbers and messages with spec-shaped bodies and no violations', async () => {
    tw.addMessage({
      from: '+16285550121',
      to: '+14155550101',
      body: 'hi',
      dateSent: new Date('2025-03-01T09:00:00Z'),
    });

    const acct = await get(`/2010-04-01/Accounts/${tw.accountSid}.json`);
    expect(acct.status).toBe(200);
    expect(((await acct.json()) as { sid: string }).sid).toBe(tw.accountSid);

    const numbers = await get(`/2010-04-01/Accounts/${tw.accountSid}/IncomingPhoneNumbers.json`);
    const nbody = (await numbers.json()) as {
      incoming_phone_numbers: { phone_number: string; capabilities: object }[];
    };
    expect(nbody.incoming_phone_numbers.map((n) => [n.phone_number, n.capabilities])).toEqual([
      ['+14155550101', { fax: false, mms: true, sms: true, voice: true }],
      ['+14155550104', { fax: false, mms: false, sms: false, voice: true }],
    ]);
    expect(tw.responseErrors('ListIncomingPhoneNumber', 200, nbody)).toEqual([]);

    const list = await get(`/2010-04-01/Accounts/${tw.accountSid}/Messages.json?PageSize=20`);
    const lbody = (await list.json()) as Page;
    expect(lbody.messages).toHaveLength(1);
    expect(lbody.messages[0]?.date_sent).toBe('Sat, 01 Mar 2025 09:00:00 +0000');
    expect(tw.responseErrors('ListMessage', 200, lbody)).toEqual([]);

    const one = await get(
      `/2010-04-01/Accounts/${tw.accountSid}/Messages/${lbody.messages[0]?.sid}.json`,
    );
    expect(one.status).toBe(200);
    expect(tw.responseErrors('FetchMessage', 200, await one.json())).toEqual([]);
    expect(tw.requests.map((r) => r.method)).toEqual(['GET', 'GET', 'GET', 'GET']);
    expectNoViolations(tw);
  });

  it('creates a message (201, RFC 2822 dates) that then shows up first in the list', async () => {
    tw.addMessage({
      from: '+14155550101',
      to: '+16285550121',
      body: 'older',
      dateSent: new Date('2025-03-01T09:00:00Z'),
    });
    const res = await send({
      To: '+16285550121',
      From: '+14155550101',
      Body: 'Your appointment is confirmed',
      MediaUrl: ['https://example.com/a.png', 'https://example.com/b.png'],
      StatusCallback: 'https://example.com/status',
    });
    expect(res.status).toBe(201);
    const created = (await res.json()) as Record<string, unknown>;
    expect(created).toMatchObject({
      to: '+16285550121',
      from: '+14155550101',
      body: 'Your appointment is confirmed',
      status: 'queued',
      direction: 'outbound-api',
      num_media: '2',
      num_segments: '1',
      date_created: 'Tue, 04 Mar 2025 10:00:00 +0000',
    });
    expect(created.sid).toMatch(/^MM[0-9a-f]{32}$/);
    expect(created.date_sent).toMatch(RFC2822);
    expect(tw.responseErrors('CreateMessage', 201, created)).toEqual([]);
    expect(tw.messageCount()).toBe(2);

    const list = (await (
      await get(`/2010-04-01/Accounts/${tw.accountSid}/Messages.json`)
    ).json()) as Page;
    expect(list.messages.map((m) => m.body)).toEqual(['Your appointment is confirmed', 'older']);
    const fetched = await get(`/2010-04-01/Accounts/${tw.accountSid}/Messages/${created.sid}.json`);
    expect(((await fetched.json()) as { sid: string }).sid).toBe(created.sid);
    expectNoViolations(tw);
  });

  it('accepts an API key and a Messaging Service instead of From', async () => {
    const key = { sid: `SK${'1'.repeat(32)}`, secret: 'key-secret' };
    tw = await createFakeTwilio({ apiKeys: [key], now: () => NOW });
    base = `${API}/2010-04-01/Accounts/${tw.accountSid}`;
    auth = `Basic ${Buffer.from(`${key.sid}:${key.secret}`).toString('base64')}`;
    const res = await send({
      To: '+16285550121',
      MessagingServiceSid: `MG${'a'.repeat(32)}`,
      Body: 'hi',
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ status: 'accepted', from: null });
    expectNoViolations(tw);
  });

  it('answers wrong credentials and a foreign account with 401 / 20003', async () => {
    const wrong = `Basic ${Buffer.from(`${tw.accountSid}:nope`).toString('base64')}`;
    const r1 = await get(`/2010-04-01/Accounts/${tw.accountSid}/Messages.json`, {
      authorization: wrong,
    });
    expect(r1.status).toBe(401);
    expect(await r1.json()).toEqual({
      code: 20003,
      message: 'Authenticate',
      more_info: 'https://www.twilio.com/docs/errors/20003',
      status: 401,
    });
    const other = `AC${'b'.repeat(32)}`;
    const r2 = await get(`/2010-04-01/Accounts/${other}/Messages.json`);
    expect(r2.status).toBe(401);
    const r3 = await tw.fetch(`${base}/Messages.json`);
    expect(r3.status).toBe(401);
    expect(JSON.stringify(await r3.json())).not.toContain(tw.authToken);
  });
});

describe('fake Twilio: subaccounts', () => {
  const basic = (user: string, pass: string) =>
    `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
  const subKey = { sid: `SK${'5'.repeat(32)}`, secret: 'subaccount-key-secret-0123456789' };
  const mainKey = { sid: `SK${'6'.repeat(32)}`, secret: 'main-account-key-secret-01234567' };
  type Numbers = { incoming_phone_numbers: { phone_number: string }[] };
  type Accounts = {
    accounts: { sid: string; friendly_name: string; owner_account_sid: string; status: string }[];
    next_page_uri: string | null;
  };

  beforeEach(async () => {
    tw = await createFakeTwilio({ now: () => NOW, apiKeys: [mainKey] });
    auth = basic(tw.accountSid, tw.authToken);
    tw.addIncomingNumber({ phoneNumber: '+14155550101', friendlyName: 'Main' });
  });

  it('keeps each subaccount’s numbers and messages apart, reached with the main Auth Token', async () => {
    const sub = tw.addSubaccount({ friendlyName: 'Sunrise Dental', apiKeys: [subKey] });
    expect(sub.accountSid).toMatch(/^AC[0-9a-f]{32}$/);
    expect(sub.accountSid).not.toBe(tw.accountSid);
    sub.addIncomingNumber({ phoneNumber: '+14155550201', friendlyName: 'Sunrise' });
    sub.addMessage({
      from: '+16285550121',
      to: '+14155550201',
      body: 'for the subaccount',
      dateSent: new Date('2025-03-01T09:00:00Z'),
    });
    tw.addMessage({
      from: '+16285550121',
      to: '+14155550101',
      body: 'for the main account',
      dateSent: new Date('2025-03-01T09:00:00Z'),
    });
    const subBase = `/2010-04-01/Accounts/${sub.accountSid}`;
    const numbers = await get(`${subBase}/IncomingPhoneNumbers.json`);
    expect(numbers.status).toBe(200);
    const nbody = (await numbers.json()) as Numbers;
    expect(nbody.incoming_phone_numbers.map((n) => n.phone_number)).toEqual(['+14155550201']);
    expect(tw.responseErrors('ListIncomingPhoneNumber', 200, nbody)).toEqual([]);
    const messages = (await (await get(`${subBase}/Messages.json`)).json()) as {
      messages: { sid: string; body: string; account_sid: string }[];
    };
    expect(messages.messages.map((m) => [m.body, m.account_sid])).toEqual([
      ['for the subaccount', sub.accountSid],
    ]);
    const sid = messages.messages[0]?.sid;
    expect((await get(`${subBase}/Messages/${sid}.json`)).status).toBe(200);
    // Not the main account's message, even with the main Auth Token.
    expect((await get(`/2010-04-01/Accounts/${tw.accountSid}/Messages/${sid}.json`)).status).toBe(
      404,
    );
    const account = await get(`${subBase}.json`);
    expect(await account.json()).toMatchObject({
      sid: sub.accountSid,
      owner_account_sid: tw.accountSid,
      friendly_name: 'Sunrise Dental',
    });
    expect(sub.messageCount()).toBe(1);
    expect(tw.messageCount()).toBe(1);
    expectNoViolations(tw);
  });

  it('sends from a subaccount’s own numbers only', async () => {
    const sub = tw.addSubaccount();
    sub.addIncomingNumber({ phoneNumber: '+14155550201' });
    const post = (from: string) =>
      tw.fetch(`${API}/2010-04-01/Accounts/${sub.accountSid}/Messages.json`, {
        method: 'POST',
        headers: { authorization: auth },
        body: new URLSearchParams({ To: '+16285550121', From: from, Body: 'hi' }),
      });
    const sent = await post('+14155550201');
    expect(sent.status).toBe(201);
    expect(await sent.json()).toMatchObject({ account_sid: sub.accountSid, status: 'queued' });
    expect(sub.createdMessages().map((m) => m.from)).toEqual(['+14155550201']);
    expect(tw.createdMessages()).toEqual([]);
    const foreign = await post('+14155550101');
    expect(foreign.status).toBe(400);
    expect(((await foreign.json()) as { code: number }).code).toBe(21606);
    expect(() => sub.addIncomingNumber({ phoneNumber: '+14155550101' })).toThrow(/another account/);
    expectNoViolations(tw);
  });

  it('refuses an API key of the main account on a subaccount, as Twilio does (401, 20003)', async () => {
    const sub = tw.addSubaccount({ apiKeys: [subKey] });
    const path = `/2010-04-01/Accounts/${sub.accountSid}/Messages.json`;
    const byMainKey = await get(path, { authorization: basic(mainKey.sid, mainKey.secret) });
    expect(byMainKey.status).toBe(401);
    expect(await byMainKey.json()).toEqual({
      code: 20003,
      message: 'Authenticate',
      more_info: 'https://www.twilio.com/docs/errors/20003',
      status: 401,
    });
    // The main key still reaches the main account.
    const own = await get(`/2010-04-01/Accounts/${tw.accountSid}/Messages.json`, {
      authorization: basic(mainKey.sid, mainKey.secret),
    });
    expect(own.status).toBe(200);
    // The subaccount's own key and Auth Token reach it, and only it.
    expect((await get(path, { authorization: basic(subKey.sid, subKey.secret) })).status).toBe(200);
    expect((await get(path, { authorization: basic(sub.accountSid, sub.authToken) })).status).toBe(
      200,
    );
    const upward = await get(`/2010-04-01/Accounts/${tw.accountSid}/Messages.json`, {
      authorization: basic(subKey.sid, subKey.secret),
    });
    expect(upward.status).toBe(401);
    const sibling = tw.addSubaccount();
    const across = await get(`/2010-04-01/Accounts/${sibling.accountSid}/Messages.json`, {
      authorization: basic(sub.accountSid, sub.authToken),
    });
    expect(across.status).toBe(401);
    expectNoViolations(tw);
  });

  it('lists the main account and its subaccounts, paged, with spec-shaped bodies', async () => {
    const a = tw.addSubaccount({ friendlyName: 'Sunrise Dental' });
    const b = tw.addSubaccount({ friendlyName: 'Oakland Ortho', status: 'suspended' });
    const first = await get('/2010-04-01/Accounts.json?PageSize=2');
    expect(first.status).toBe(200);
    const page1 = (await first.json()) as Accounts;
    expect(tw.responseErrors('ListAccount', 200, page1)).toEqual([]);
    expect(page1.accounts.map((x) => x.sid)).toEqual([tw.accountSid, a.accountSid]);
    expect(page1.accounts.every((x) => x.owner_account_sid === tw.accountSid)).toBe(true);
    expect(page1.next_page_uri).toMatch(/^\/2010-04-01\/Accounts\.json\?/);
    const page2 = (await (await get(page1.next_page_uri as string)).json()) as Accounts;
    expect(page2.accounts.map((x) => [x.sid, x.friendly_name, x.status])).toEqual([
      [b.accountSid, 'Oakland Ortho', 'suspended'],
    ]);
    expect(page2.next_page_uri).toBeNull();
    const active = (await (
      await get('/2010-04-01/Accounts.json?Status=active')
    ).json()) as Accounts;
    expect(active.accounts.map((x) => x.sid)).toEqual([tw.accountSid, a.accountSid]);
    // A subaccount's credentials list only itself.
    const own = (await (
      await get('/2010-04-01/Accounts.json', { authorization: basic(a.accountSid, a.authToken) })
    ).json()) as Accounts;
    expect(own.accounts.map((x) => x.sid)).toEqual([a.accountSid]);
    expectNoViolations(tw);
  });

  it('refuses the Accounts list to a standard API key', async () => {
    const res = await get('/2010-04-01/Accounts.json', {
      authorization: basic(mainKey.sid, mainKey.secret),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({
      code: 20003,
      message: 'Authentication Error - invalid username',
    });
    expectNoViolations(tw);
  });
});

describe('fake Twilio: spec violations', () => {
  it('records a POST without To, answers 400 naming it, and expectNoViolations throws', async () => {
    const res = await send({ From: '+14155550101', Body: 'hi' });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { message: string };
    expect(body.message).toContain("required property 'To'");
    expect(tw.violations).toEqual([
      {
        method: 'POST',
        path: `/2010-04-01/Accounts/${tw.accountSid}/Messages.json`,
        errors: ["body must have required property 'To'"],
      },
    ]);
    expect(() => expectNoViolations(tw)).toThrow(
      /1 request\(s\) broke the API spec[\s\S]*required property 'To'/,
    );
  });

  it('checks x-twilio.conditional by hand: From or MessagingServiceSid, and Body, MediaUrl or ContentSid', async () => {
    await send({ To: '+16285550121', Body: 'no sender' });
    await send({ To: '+16285550121', From: '+14155550101' });
    expect(tw.violations.map((v) => v.errors)).toEqual([
      ['body must include one of From, MessagingServiceSid (x-twilio.conditional)'],
      ['body must include one of Body, MediaUrl, ContentSid (x-twilio.conditional)'],
    ]);
  });

  it('flags wrong parameter types, unknown parameters, JSON bodies and unknown paths', async () => {
    const r1 = await get(`/2010-04-01/Accounts/${tw.accountSid}/Messages.json?PageSize=ten`);
    expect(r1.status).toBe(400);
    await get(`/2010-04-01/Accounts/${tw.accountSid}/Messages.json?PageSize=5000`);
    await get(`/2010-04-01/Accounts/${tw.accountSid}/Messages.json?Limit=5`);
    await get(`/2010-04-01/Accounts/${tw.accountSid}/Messages.json?DateSent%3E=last-week`);
    await tw.fetch(`${base}/Messages.json`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify({ To: '+16285550121', From: '+14155550101', Body: 'hi' }),
    });
    const r6 = await get(`/2010-04-01/Accounts/${tw.accountSid}/Texts.json`);
    expect(r6.status).toBe(404);
    expect(((await r6.json()) as { code: number }).code).toBe(20404);
    const errors = tw.violations.map((v) => v.errors.join(' | '));
    expect(errors[0]).toContain('query.PageSize must be integer');
    expect(errors[1]).toContain('query.PageSize must be <= 1000');
    expect(errors[2]).toContain("query must NOT have additional properties: 'Limit'");
    expect(errors[3]).toContain('query.DateSent> must be YYYY-MM-DD or an ISO 8601 date-time');
    expect(errors[4]).toContain(
      'body is application/json; the spec accepts application/x-www-form-urlencoded',
    );
    expect(errors[5]).toContain('no operation in the spec matches GET');
    expect(errors).toHaveLength(6);
  });

  it('records spec operations the fake does not implement and answers 501', async () => {
    const res = await tw.fetch(`${base}/Calls.json`, { headers: { authorization: auth } });
    expect(res.status).toBe(501);
    expect(tw.violations[0]?.errors[0]).toMatch(
      /ListCall is in the spec but the Twilio fake does not implement it/,
    );
  });

  it('refuses URLs that are not Twilio', async () => {
    await expect(tw.fetch('https://example.com/2010-04-01/Accounts.json')).rejects.toThrow(
      /fetch failed.*example\.com/,
    );
  });
});

describe('fake Twilio: paging and filters', () => {
  beforeEach(() => {
    for (let d = 1; d <= 5; d++) {
      tw.addMessage({
        from: d % 2 ? '+14155550101' : '+16285550121',
        to: d % 2 ? '+16285550121' : '+14155550101',
        body: `day ${d}`,
        dateSent: new Date(Date.UTC(2025, 2, d, 12)),
      });
    }
  });

  it('pages 5 messages by 2, newest first, following next_page_uri to the end', async () => {
    const pages = await allPages(`/2010-04-01/Accounts/${tw.accountSid}/Messages.json?PageSize=2`);
    expect(pages.map((p) => p.messages.map((m) => m.body))).toEqual([
      ['day 5', 'day 4'],
      ['day 3', 'day 2'],
      ['day 1'],
    ]);
    expect(pages[0]?.next_page_uri).toMatch(/PageSize=2&Page=1&PageToken=PASM[0-9a-f]{32}$/);
    expect(pages[2]?.next_page_uri).toBeNull();
    expectNoViolations(tw);
  });

  it('pages incoming numbers the same way', async () => {
    for (let i = 5; i <= 7; i++) tw.addIncomingNumber({ phoneNumber: `+1415555010${i}` });
    const seen: string[] = [];
    let next: string | null =
      `/2010-04-01/Accounts/${tw.accountSid}/IncomingPhoneNumbers.json?PageSize=2`;
    while (next) {
      const page = (await (await get(next)).json()) as {
        next_page_uri: string | null;
        incoming_phone_numbers: { phone_number: string }[];
      };
      seen.push(...page.incoming_phone_numbers.map((n) => n.phone_number));
      next = page.next_page_uri;
    }
    expect(seen).toEqual([
      '+14155550101',
      '+14155550104',
      '+14155550105',
      '+14155550106',
      '+14155550107',
    ]);
    expectNoViolations(tw);
  });

  it('filters by DateSent>, DateSent<, DateSent, To and From, keeping filters in next_page_uri', async () => {
    const list = (q: string) => `/2010-04-01/Accounts/${tw.accountSid}/Messages.json?${q}`;
    const bodies = async (q: string) =>
      (await allPages(list(q))).flatMap((p) => p.messages.map((m) => m.body));
    expect(await bodies('DateSent%3E=2025-03-03&PageSize=1')).toEqual(['day 5', 'day 4', 'day 3']);
    expect(await bodies('DateSent%3E=2025-03-03T13:00:00Z')).toEqual(['day 5', 'day 4']);
    expect(await bodies('DateSent%3C=2025-03-03')).toEqual(['day 2', 'day 1']);
    expect(await bodies('DateSent=2025-03-02')).toEqual(['day 2']);
    expect(await bodies('To=%2B16285550121&PageSize=1')).toEqual(['day 5', 'day 3', 'day 1']);
    expect(await bodies('From=%2B16285550121&DateSent%3E=2025-03-03')).toEqual(['day 4']);
    const first = (await (await get(list('DateSent%3E=2025-03-01&PageSize=2'))).json()) as Page;
    expect(first.next_page_uri).toMatch(
      /^\/2010-04-01\/Accounts\/AC[0-9a-f]{32}\/Messages\.json\?DateSent%3E=2025-03-01&PageSize=2&Page=1&PageToken=/,
    );
    expectNoViolations(tw);
  });

  it('serves Page without PageToken by position', async () => {
    const page = (await (
      await get(`/2010-04-01/Accounts/${tw.accountSid}/Messages.json?PageSize=2&Page=1`)
    ).json()) as Page & { start: number; end: number };
    expect(page.messages.map((m) => m.body)).toEqual(['day 3', 'day 2']);
    expect([page.start, page.end]).toEqual([2, 3]);
  });
});

describe('fake Twilio: sending errors', () => {
  it.each([
    ['+15005550001', 21211],
    ['+15005550002', 21612],
    ['+15005550003', 21408],
    ['+15005550004', 21610],
    ['+15005550009', 21614],
  ])('magic To %s answers 400 with code %i', async (to, code) => {
    const res = await send({ To: to, From: '+14155550101', Body: 'hi' });
    expect(res.status).toBe(400);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      code,
      status: 400,
      more_info: `https://www.twilio.com/docs/errors/${code}`,
    });
    expect(typeof body.message).toBe('string');
    expect(tw.messageCount()).toBe(0);
    expectNoViolations(tw);
  });

  it('answers 21606 for a From that is voice-only or not on the account', async () => {
    for (const from of ['+14155550104', '+14155559999']) {
      const res = await send({ To: '+16285550121', From: from, Body: 'hi' });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { code: number }).code).toBe(21606);
    }
    const ok = await send({ To: '+16285550121', From: '+15005550006', Body: 'test From' });
    expect(ok.status).toBe(201);
  });

  it('answers 21610 once the recipient texted STOP to that number, until START', async () => {
    const contact = '+16285550199';
    tw.addMessage({
      from: contact,
      to: '+14155550101',
      body: ' stop ',
      dateSent: new Date('2025-03-01T00:00:00Z'),
    });
    const blocked = await send({ To: contact, From: '+14155550101', Body: 'hi' });
    expect(((await blocked.json()) as { code: number }).code).toBe(21610);
    tw.addMessage({
      from: contact,
      to: '+14155550101',
      body: 'START',
      dateSent: new Date('2025-03-02T00:00:00Z'),
    });
    expect((await send({ To: contact, From: '+14155550101', Body: 'hi' })).status).toBe(201);
  });

  it('lets a test move a created message on to delivered or failed', async () => {
    const created = (await (
      await send({ To: '+16285550121', From: '+14155550101', Body: 'x' })
    ).json()) as { sid: string };
    tw.setMessageStatus(created.sid, 'undelivered', 30003);
    const m = (await (
      await get(`/2010-04-01/Accounts/${tw.accountSid}/Messages/${created.sid}.json`)
    ).json()) as Record<string, unknown>;
    expect(m).toMatchObject({
      status: 'undelivered',
      error_code: 30003,
      error_message: 'Unreachable destination handset',
    });
  });
});

describe('specs folder', () => {
  it('names the folder when SENDER_LENS_SPECS points at the wrong place', async () => {
    const { specsDir } = await import('./specs.ts');
    const saved = process.env.SENDER_LENS_SPECS;
    process.env.SENDER_LENS_SPECS = '/nonexistent/specs';
    try {
      expect(() => specsDir()).toThrow(/not found in \/nonexistent\/specs/);
    } finally {
      if (saved === undefined) delete process.env.SENDER_LENS_SPECS;
      else process.env.SENDER_LENS_SPECS = saved;
    }
    expect(specsDir()).toMatch(/shared\/specs$/);
  });
});
