import type { SendView } from '../../lib/messaging/send-views';
import type { AuditView, SenderView, SwitcherOption } from '../../lib/messaging/views';

export const senderView = (over: Partial<SenderView> = {}): SenderView => ({
  state: 'sender',
  numberDisplay: '(415) 555-0111',
  numberE164: '+14155550111',
  friendlyName: "Jane's line",
  ruleWord: 'your number',
  inferred: false,
  warnings: [],
  trace: [
    {
      rule: 'manual-pick',
      label: 'Picked number',
      outcome: 'not-applicable',
      reason: 'No number was picked for this send.',
      inferred: false,
    },
    {
      rule: 'last-manual-pick',
      label: 'Last pick',
      outcome: 'skipped',
      reason: '(415) 555-0199 was picked for Pat Kim on 2025-01-02 but has been released.',
      inferred: true,
    },
    {
      rule: 'user-number',
      label: 'Your number',
      outcome: 'applied',
      reason: 'Jane Doe is assigned (415) 555-0111.',
      inferred: false,
    },
  ],
  freshness: 'Synced 3 min ago',
  picker: { state: 'agrees' },
  ...over,
});

export const blockedView = (over: Partial<SenderView> = {}): SenderView =>
  senderView({
    state: 'blocked',
    numberDisplay: undefined,
    numberE164: undefined,
    friendlyName: undefined,
    ruleWord: undefined,
    blockedReason: 'Pat Kim texted STOP on 2025-01-02',
    wouldHaveBeen: '(415) 555-0111',
    picker: undefined,
    ...over,
  });

export const options: SwitcherOption[] = [
  {
    e164: '+14155550111',
    display: '(415) 555-0111',
    name: "Jane's line",
    tags: ['yours', 'current'],
  },
  {
    e164: '+14155550122',
    display: '(415) 555-0122',
    name: 'Landline',
    tags: [],
    disabledReason: 'Cannot send SMS',
  },
  { e164: '+14155550133', display: '(415) 555-0133', name: 'Main', tags: ['default'] },
  { e164: '+16505550144', display: '(650) 555-0144', tags: ['channel', 'last pick'] },
  {
    e164: '+16505550155',
    display: '(650) 555-0155',
    name: 'Old',
    tags: [],
    disabledReason: 'Released in Twilio',
  },
];

export const auditView = (over: Partial<AuditView> = {}): AuditView => ({
  state: 'exact',
  direction: 'outbound',
  numberDisplay: '(415) 555-0111',
  numberName: "Jane's line",
  status: 'undelivered',
  tone: 'bad',
  details: {
    sid: 'SM0123456789abcdef0123456789abcdef',
    status: 'undelivered',
    errorCode: 30007,
    errorText: "the contact's carrier filtered the message as spam",
    segments: 2,
    price: '$0.0158',
    sentAt: 'Jan 2, 2025, 10:04 AM',
    from: '(415) 555-0111',
    to: '(650) 555-0100',
  },
  ...over,
});

export const sendView = (over: Partial<SendView> = {}): SendView => ({
  id: 'send-0001',
  state: 'delivered',
  route: 'twilio',
  fromE164: '+14155550111',
  fromDisplay: '(415) 555-0111',
  toDisplay: '(650) 555-0100',
  body: 'See you at 3',
  mediaCount: 0,
  createdAt: '2025-01-02T18:04:00.000Z',
  tone: 'ok',
  statusText: 'Delivered',
  canSendAgain: false,
  ...over,
});

/** A send whose post could not be settled: the only kind that offers "Send again". */
export const unknownSend = (over: Partial<SendView> = {}): SendView =>
  sendView({
    id: 'send-0002',
    state: 'unknown',
    tone: 'bad',
    statusText: 'Outcome unknown',
    advice: "Check Twilio's log before sending again",
    canSendAgain: true,
    ...over,
  });
