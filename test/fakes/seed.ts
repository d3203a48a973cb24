import type { FakeHighLevel } from './highlevel.ts';
import type { FakeTwilioAccount } from './twilio.ts';

type NumberKey =
  | 'main'
  | 'jane'
  | 'raj'
  | 'frontDesk'
  | 'hygiene'
  | 'ortho'
  | 'recall'
  | 'fax'
  | 'afterHours'
  | 'spanish'
  | 'reviews'
  | 'oakland';
type UserKey = 'jane' | 'raj' | 'maria' | 'vic' | 'sam';
type ContactKey = 'alice' | 'ben' | 'carla' | 'dev' | 'erin' | 'felix' | 'gina' | 'hank' | 'ivy';

export interface SeededSubAccount {
  locationId: string;
  locationName: string;
  /** Every active number: E.164 phone and Twilio PN SID (the same SID HighLevel reports). */
  numbers: Record<NumberKey, { phone: string; sid: string }>;
  /** A number that only appears in old messages: released from the account. */
  removedNumber: string;
  users: Record<UserKey, string>;
  contacts: Record<ContactKey, string>;
  contactPhones: Partial<Record<ContactKey, string>>;
  /** Conversation ids of the contacts that have one. */
  conversations: Partial<Record<ContactKey, string>>;
  /** The contact whose latest message is "STOP" (HighLevel has not set DND yet). */
  stopContactId: string;
  /** The contact with SMS DND on in HighLevel. */
  dndContactId: string;
  /** Twilio SIDs of the seeded messages, oldest first; each is the altId of a HighLevel message. */
  messageSids: string[];
}

const NUMBERS: {
  key: NumberKey;
  phone: string;
  name: string;
  sms: boolean;
  voice: boolean;
  /** HighLevel's view of SMS capability; undefined = HighLevel does not say. */
  hlSms?: boolean | 'unknown';
  isDefault?: boolean;
  user?: UserKey;
}[] = [
  {
    key: 'main',
    phone: '+14155550101',
    name: 'Main Office',
    sms: true,
    voice: true,
    isDefault: true,
  },
  { key: 'jane', phone: '+14155550102', name: 'Jane Doe', sms: true, voice: true, user: 'jane' },
  { key: 'raj', phone: '+14155550103', name: 'Raj Patel', sms: true, voice: true, user: 'raj' },
  {
    key: 'frontDesk',
    phone: '+14155550104',
    name: 'Front Desk (voice)',
    sms: false,
    voice: true,
    user: 'maria',
  },
  { key: 'hygiene', phone: '+14155550105', name: 'Hygiene', sms: true, voice: true },
  { key: 'ortho', phone: '+14155550106', name: 'Orthodontics', sms: true, voice: true },
  { key: 'recall', phone: '+14155550107', name: 'Recall Reminders', sms: true, voice: false },
  { key: 'fax', phone: '+14155550108', name: 'Fax Line', sms: false, voice: true },
  { key: 'afterHours', phone: '+14155550109', name: 'After Hours', sms: false, voice: true },
  {
    key: 'spanish',
    phone: '+14155550110',
    name: 'Línea en Español',
    sms: true,
    voice: true,
    hlSms: 'unknown',
  },
  { key: 'reviews', phone: '+14155550111', name: 'Reviews', sms: true, voice: false },
  { key: 'oakland', phone: '+15105550112', name: 'Oakland Office', sms: true, voice: true },
];

const REMOVED = '+14155550150';

const USERS: { key: UserKey; id: string; name: string; lcPhone?: string }[] = [
  { key: 'jane', id: 'usr-jane-doe', name: 'Jane Doe', lcPhone: '+14155550102' },
  { key: 'raj', id: 'usr-raj-patel', name: 'Raj Patel', lcPhone: '+14155550103' },
  // Maria's assigned number is voice-only: her sends fall back to the default number.
  { key: 'maria', id: 'usr-maria-chen', name: 'Maria Chen', lcPhone: '+14155550104' },
  { key: 'vic', id: 'usr-vic-lowe', name: 'Vic Lowe' },
  // Sam's number was released, so Sam counts as having none.
  { key: 'sam', id: 'usr-sam-ortiz', name: 'Sam Ortiz', lcPhone: REMOVED },
];

const CONTACTS: { key: ContactKey; name: string; phone?: string; smsDnd?: boolean }[] = [
  { key: 'alice', name: 'Alice Morgan', phone: '+16285550121' },
  { key: 'ben', name: 'Ben Carter', phone: '+16285550122' },
  { key: 'carla', name: 'Carla Diaz', phone: '+16285550123' },
  { key: 'dev', name: 'Dev Shah', phone: '+16285550124' },
  { key: 'erin', name: 'Erin Walsh', phone: '+16285550125', smsDnd: true },
  { key: 'felix', name: 'Felix Grant', phone: '+16285550126' },
  { key: 'gina', name: 'Gina Russo', phone: '+16285550127' },
  { key: 'hank', name: 'Hank Lee', phone: '+16285550128' },
  { key: 'ivy', name: 'Ivy Novak' },
];

type Line = {
  /** Minutes before `now`. */
  ago: number;
  dir: 'in' | 'out';
  /** Our number: a key, or a raw phone for numbers no longer on the account. */
  via: NumberKey | string;
  body: string;
  user?: UserKey;
  source?: 'app' | 'workflow' | 'bulk_actions' | 'campaign' | 'api';
};

const DAY = 24 * 60;

const HISTORY: Partial<Record<ContactKey, Line[]>> = {
  alice: [
    {
      ago: 30 * DAY,
      dir: 'out',
      via: 'jane',
      body: 'Hi Alice, this is Jane from Sunrise Dental. Your cleaning is due, want to book?',
      user: 'jane',
      source: 'app',
    },
    { ago: 30 * DAY - 12, dir: 'in', via: 'jane', body: 'Yes please, next Tuesday morning?' },
    {
      ago: 30 * DAY - 20,
      dir: 'out',
      via: 'jane',
      body: 'Booked: Tue 9:30 with Dr. Kim. See you then!',
      user: 'jane',
      source: 'app',
    },
    {
      ago: 2 * DAY,
      dir: 'in',
      via: 'jane',
      body: 'Thanks for today, the new retainer feels great',
    },
  ],
  ben: [
    { ago: 60 * DAY, dir: 'in', via: 'hygiene', body: 'Hi, do you take Delta Dental?' },
    {
      ago: 60 * DAY - 5,
      dir: 'out',
      via: 'hygiene',
      body: 'We do! Would you like to book a new-patient exam?',
      user: 'raj',
      source: 'app',
    },
    {
      ago: 10 * DAY,
      dir: 'out',
      via: 'main',
      body: 'Reminder: your appointment is tomorrow at 2pm. Reply C to confirm.',
      source: 'workflow',
    },
    { ago: 10 * DAY - 30, dir: 'in', via: 'main', body: 'C' },
  ],
  carla: [
    {
      ago: 400 * DAY,
      dir: 'out',
      via: REMOVED,
      body: 'Welcome to Sunrise Dental, Carla!',
      source: 'workflow',
    },
    { ago: 400 * DAY - 60, dir: 'in', via: REMOVED, body: 'Thank you!' },
    {
      ago: 20 * DAY,
      dir: 'out',
      via: 'main',
      body: 'Hi Carla, it has been a while. Time for a check-up?',
      user: 'vic',
      source: 'app',
    },
  ],
  dev: [
    {
      ago: 45 * DAY,
      dir: 'out',
      via: 'recall',
      body: 'Sunrise Dental: 20% off whitening this month. Reply STOP to opt out.',
      source: 'bulk_actions',
    },
    { ago: 45 * DAY - 3, dir: 'in', via: 'recall', body: 'STOP' },
  ],
  erin: [
    {
      ago: 90 * DAY,
      dir: 'out',
      via: 'main',
      body: 'Your X-rays are ready to view in the patient portal.',
      source: 'workflow',
    },
    { ago: 89 * DAY, dir: 'in', via: 'main', body: 'Please stop texting me, email only' },
  ],
  felix: [
    { ago: 5 * DAY, dir: 'in', via: 'spanish', body: 'Hola, ¿tienen citas el sábado?' },
    { ago: 5 * DAY - 2, dir: 'in', via: 'spanish', body: '¿Hola?' },
  ],
  gina: [
    {
      ago: 120 * DAY,
      dir: 'out',
      via: 'raj',
      body: 'Hi Gina, Raj here. Your crown is in, can you come Thursday?',
      user: 'raj',
      source: 'app',
    },
    { ago: 120 * DAY - 40, dir: 'in', via: 'raj', body: 'Thursday works' },
    {
      ago: 7 * DAY,
      dir: 'out',
      via: 'recall',
      body: 'Time for your 6-month check-up! Book at https://example.com/book',
      source: 'bulk_actions',
    },
  ],
};

/**
 * Fills both fakes with one believable sub-account, "Sunrise Dental"
 * (location loc-demo): twelve numbers (three voice-only, one default, one
 * whose SMS capability HighLevel does not report), five staff with and
 * without numbers, nine contacts, and message histories present in both
 * Twilio and HighLevel, matched by altId = Twilio SID. Returns every id used.
 * Pass a subaccount (`twilio.addSubaccount()`) to seed its Twilio side there.
 */
export function seedBelievableSubAccount(
  twilio: Pick<FakeTwilioAccount, 'addIncomingNumber' | 'addMessage'>,
  highlevel: FakeHighLevel,
  opts: { now?: Date } = {},
): SeededSubAccount {
  const now = (opts.now ?? new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000)).getTime();
  const locationId = 'loc-demo';
  const locationName = 'Sunrise Dental';
  highlevel.addLocation({
    id: locationId,
    name: locationName,
    country: 'US',
    timezone: 'America/Los_Angeles',
  });

  const userId = Object.fromEntries(USERS.map((u) => [u.key, u.id])) as Record<UserKey, string>;
  for (const u of USERS) {
    highlevel.addUser(locationId, { id: u.id, name: u.name, lcPhone: u.lcPhone });
  }

  const numbers = {} as Record<NumberKey, { phone: string; sid: string }>;
  for (const n of NUMBERS) {
    const sid = twilio.addIncomingNumber({
      phoneNumber: n.phone,
      friendlyName: n.name,
      sms: n.sms,
      voice: n.voice,
    });
    numbers[n.key] = { phone: n.phone, sid };
    highlevel.addNumber(locationId, {
      phoneNumber: n.phone,
      friendlyName: n.name,
      sms: n.hlSms === 'unknown' ? undefined : n.sms,
      voice: n.voice,
      isDefault: n.isDefault,
      linkedUserId: n.user ? userId[n.user] : undefined,
      sid,
    });
  }

  const contacts = {} as Record<ContactKey, string>;
  const contactPhones: Partial<Record<ContactKey, string>> = {};
  const conversations: Partial<Record<ContactKey, string>> = {};
  const messageSids: { at: number; sid: string }[] = [];
  CONTACTS.forEach((c, i) => {
    const id = `ct-${c.key}-${c.name.split(' ')[1]?.toLowerCase()}`;
    contacts[c.key] = id;
    if (c.phone) contactPhones[c.key] = c.phone;
    highlevel.addContact(locationId, {
      id,
      name: c.name,
      phone: c.phone,
      smsDnd: c.smsDnd,
      dnd: false,
      email: `${c.name.toLowerCase().replace(' ', '.')}@example.com`,
      dateAdded: new Date(now - (500 - i) * DAY * 60_000),
    });
    const lines = HISTORY[c.key];
    if (!lines || !c.phone) return;
    const conversationId = `conv-${c.key}`;
    conversations[c.key] = conversationId;
    highlevel.addConversation(locationId, { id: conversationId, contactId: id });
    lines.forEach((line, k) => {
      const ours = line.via in numbers ? numbers[line.via as NumberKey].phone : line.via;
      const at = new Date(now - line.ago * 60_000);
      const from = line.dir === 'out' ? ours : (c.phone as string);
      const to = line.dir === 'out' ? (c.phone as string) : ours;
      const sid = twilio.addMessage({
        from,
        to,
        body: line.body,
        direction: line.dir === 'out' ? 'outbound-api' : 'inbound',
        dateSent: at,
        price: '-0.00790',
      });
      messageSids.push({ at: at.getTime(), sid });
      highlevel.addConversationMessage(conversationId, {
        id: `msg-${c.key}-${k + 1}`,
        direction: line.dir === 'out' ? 'outbound' : 'inbound',
        body: line.body,
        dateAdded: at,
        userId: line.user ? userId[line.user] : undefined,
        altId: sid,
        from,
        to,
        source: line.dir === 'out' ? (line.source ?? 'app') : undefined,
      });
    });
  });

  return {
    locationId,
    locationName,
    numbers,
    removedNumber: REMOVED,
    users: userId,
    contacts,
    contactPhones,
    conversations,
    stopContactId: contacts.dev,
    dndContactId: contacts.erin,
    messageSids: messageSids.sort((a, b) => a.at - b.at).map((m) => m.sid),
  };
}
