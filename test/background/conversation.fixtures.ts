/**
 * A small Sunrise Dental sub-account (the numbers, staff and histories of
 * test/fakes/seed.ts, trimmed) for the conversation handlers' tests, with
 * `now` at 2026-05-26T16:00:00Z.
 */
import type { Snapshot } from '../../lib/rules/types';

export const NOW = Date.parse('2026-05-26T16:00:00Z');
export const SYNCED_AT = '2026-05-26T15:55:00Z';

export const N = {
  main: '+14155550101',
  jane: '+14155550102',
  raj: '+14155550103',
  frontDesk: '+14155550104',
  hygiene: '+14155550105',
  recall: '+14155550107',
  spanish: '+14155550110',
  removed: '+14155550150',
} as const;

export const PHONES = {
  alice: '+16285550121',
  ben: '+16285550122',
  carla: '+16285550123',
  dev: '+16285550124',
  erin: '+16285550125',
  felix: '+16285550126',
  kim: '+16285550129',
} as const;

export function sunrise(): Snapshot {
  return {
    country: 'US',
    numbers: [
      { number: N.main, sms: true, default: true, name: 'Main Office' },
      { number: N.jane, sms: true, name: 'Jane Doe' },
      { number: N.raj, sms: true, name: 'Raj Patel' },
      { number: N.frontDesk, sms: false, name: 'Front Desk (voice)' },
      { number: N.hygiene, sms: true, name: 'Hygiene' },
      { number: N.recall, sms: true, name: 'Recall Reminders' },
      // HighLevel does not say whether this one can send SMS.
      { number: N.spanish, name: 'Línea en Español' },
    ],
    users: [
      { id: 'usr-jane-doe', name: 'Jane Doe', number: N.jane },
      { id: 'usr-raj-patel', name: 'Raj Patel', number: N.raj },
      { id: 'usr-maria-chen', name: 'Maria Chen', number: N.frontDesk },
      { id: 'usr-vic-lowe', name: 'Vic Lowe' },
      { id: 'usr-sam-ortiz', name: 'Sam Ortiz', number: N.removed },
    ],
    contacts: [
      { id: 'ct-alice-morgan', name: 'Alice Morgan', phone: PHONES.alice },
      { id: 'ct-ben-carter', name: 'Ben Carter', phone: PHONES.ben },
      { id: 'ct-carla-diaz', name: 'Carla Diaz', phone: PHONES.carla },
      { id: 'ct-dev-shah', name: 'Dev Shah', phone: PHONES.dev },
      { id: 'ct-erin-walsh', name: 'Erin Walsh', phone: PHONES.erin, smsDnd: true },
      { id: 'ct-felix-grant', name: 'Felix Grant', phone: PHONES.felix },
      { id: 'ct-ivy-novak', name: 'Ivy Novak' },
      { id: 'ct-kim-park', name: 'Kim Park', phone: PHONES.kim },
      { id: 'ct-lou-new', name: 'Lou New', phone: '+16285550130' },
    ],
    messages: [
      {
        contactId: 'ct-alice-morgan',
        number: N.jane,
        direction: 'outbound',
        at: '2026-04-26T16:00:00Z',
      },
      {
        contactId: 'ct-alice-morgan',
        number: N.jane,
        direction: 'inbound',
        at: '2026-04-26T16:12:00Z',
      },
      {
        contactId: 'ct-ben-carter',
        number: N.hygiene,
        direction: 'inbound',
        at: '2026-03-27T16:00:00Z',
      },
      {
        contactId: 'ct-ben-carter',
        number: N.main,
        direction: 'outbound',
        at: '2026-05-16T16:00:00Z',
      },
      {
        contactId: 'ct-carla-diaz',
        number: N.removed,
        direction: 'outbound',
        at: '2025-04-21T16:00:00Z',
      },
      {
        contactId: 'ct-carla-diaz',
        number: N.main,
        direction: 'outbound',
        at: '2026-05-06T16:00:00Z',
      },
      {
        contactId: 'ct-dev-shah',
        number: N.recall,
        direction: 'outbound',
        at: '2026-04-11T16:00:00Z',
      },
      {
        contactId: 'ct-dev-shah',
        number: N.recall,
        direction: 'inbound',
        at: '2026-04-11T16:03:00Z',
        body: 'STOP',
      },
      {
        contactId: 'ct-felix-grant',
        number: N.spanish,
        direction: 'inbound',
        at: '2026-05-21T16:00:00Z',
      },
      {
        contactId: 'ct-kim-park',
        number: N.main,
        direction: 'inbound',
        at: '2026-05-01T16:00:00Z',
      },
      {
        contactId: 'ct-kim-park',
        number: N.hygiene,
        direction: 'outbound',
        at: '2026-05-02T16:00:00Z',
        manual: true,
      },
    ],
  };
}
