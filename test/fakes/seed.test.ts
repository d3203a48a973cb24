import { beforeAll, describe, expect, it } from 'vitest';
import {
  createFakeHighLevel,
  createFakeTwilio,
  expectNoViolations,
  type FakeHighLevel,
  type FakeTwilio,
  type SeededSubAccount,
  seedBelievableSubAccount,
} from './index.ts';

const HL = 'https://services.leadconnectorhq.com';

let tw: FakeTwilio;
let hl: FakeHighLevel;
let ids: SeededSubAccount;
let twAuth: Record<string, string>;

function hlGet(path: string, version = '2021-07-28') {
  return hl.fetch(`${HL}${path}`, { headers: { authorization: `Bearer ${hl.token}`, version } });
}

async function twJson(path: string): Promise<Record<string, unknown>> {
  const res = await tw.fetch(`https://api.twilio.com/2010-04-01/Accounts/${tw.accountSid}${path}`, {
    headers: twAuth,
  });
  return (await res.json()) as Record<string, unknown>;
}

beforeAll(async () => {
  tw = await createFakeTwilio({ now: () => new Date('2025-03-04T10:00:00Z') });
  hl = await createFakeHighLevel();
  ids = seedBelievableSubAccount(tw, hl, { now: new Date('2025-03-04T10:00:00Z') });
  twAuth = {
    authorization: `Basic ${Buffer.from(`${tw.accountSid}:${tw.authToken}`).toString('base64')}`,
  };
});

describe('seedBelievableSubAccount', () => {
  it('gives Twilio and HighLevel the same twelve numbers, with the HighLevel quirks', async () => {
    const twNumbers = (await twJson('/IncomingPhoneNumbers.json')).incoming_phone_numbers as {
      sid: string;
      phone_number: string;
      capabilities: { sms: boolean };
    }[];
    const hlNumbers = (
      (await (await hlGet(`/phone-system/numbers/location/${ids.locationId}`)).json()) as {
        numbers: {
          sid: string;
          phoneNumber: string;
          isDefaultNumber: boolean;
          capabilities: { sms?: boolean };
        }[];
      }
    ).numbers;
    expect(twNumbers).toHaveLength(12);
    expect(hlNumbers.map((n) => [n.phoneNumber, n.sid])).toEqual(
      twNumbers.map((n) => [n.phone_number, n.sid]),
    );
    expect(twNumbers.filter((n) => !n.capabilities.sms)).toHaveLength(3);
    expect(hlNumbers.filter((n) => n.isDefaultNumber).map((n) => n.phoneNumber)).toEqual([
      ids.numbers.main.phone,
    ]);
    expect(hlNumbers.filter((n) => !('sms' in n.capabilities)).map((n) => n.phoneNumber)).toEqual([
      ids.numbers.spanish.phone,
    ]);
  });

  it('has staff with, without, voice-only and released numbers', async () => {
    const users = (
      (await (await hlGet(`/users/?locationId=${ids.locationId}`)).json()) as {
        users: { id: string; name: string; lcPhone: Record<string, string> }[];
      }
    ).users;
    const byName = Object.fromEntries(users.map((u) => [u.name, u.lcPhone[ids.locationId]]));
    expect(byName).toEqual({
      'Jane Doe': ids.numbers.jane.phone,
      'Raj Patel': ids.numbers.raj.phone,
      'Maria Chen': ids.numbers.frontDesk.phone,
      'Vic Lowe': undefined,
      'Sam Ortiz': ids.removedNumber,
    });
  });

  it('mirrors every HighLevel SMS in Twilio through altId', async () => {
    let checked = 0;
    for (const conversationId of Object.values(ids.conversations)) {
      const res = await hlGet(`/conversations/${conversationId}/messages?limit=100`, '2021-04-15');
      const inner = (
        (await res.json()) as {
          messages: { messages: { altId: string; body: string; from: string; to: string }[] };
        }
      ).messages;
      for (const m of inner.messages) {
        const twMessage = await twJson(`/Messages/${m.altId}.json`);
        expect(twMessage).toMatchObject({ sid: m.altId, body: m.body, from: m.from, to: m.to });
        checked++;
      }
    }
    expect(checked).toBe(ids.messageSids.length);
    expect(checked).toBeGreaterThan(15);
  });

  it('has a contact whose last word was STOP, so Twilio refuses to text them from that number', async () => {
    const dev = (
      (await (await hlGet(`/contacts/${ids.stopContactId}`)).json()) as {
        contact: { phone: string; dnd: boolean };
      }
    ).contact;
    expect(dev.dnd).toBe(false);
    const latest = (
      (await twJson(`/Messages.json?From=${encodeURIComponent(dev.phone)}&PageSize=1`))
        .messages as { body: string }[]
    )[0];
    expect(latest?.body).toBe('STOP');
    const res = await tw.fetch(
      `https://api.twilio.com/2010-04-01/Accounts/${tw.accountSid}/Messages.json`,
      {
        method: 'POST',
        headers: twAuth,
        body: new URLSearchParams({
          To: dev.phone,
          From: ids.numbers.recall.phone,
          Body: 'hello again',
        }),
      },
    );
    expect(((await res.json()) as { code: number }).code).toBe(21610);
    const erin = (
      (await (await hlGet(`/contacts/${ids.dndContactId}`)).json()) as {
        contact: { dndSettings: object };
      }
    ).contact;
    expect(erin.dndSettings).toMatchObject({ SMS: { status: 'active' } });
    expectNoViolations(tw);
    expectNoViolations(hl);
  });
});
