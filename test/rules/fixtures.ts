import type { Snapshot, SnapshotMessage } from '../../lib/rules';

/** The sub-account most rule tests start from; each test changes what it needs. */
export function baseSnapshot(messages: SnapshotMessage[] = []): Snapshot {
  return {
    numbers: [
      { number: '+14155550100', sms: true, default: true, name: 'Main line' },
      { number: '+14155550111', sms: true, name: "Jane's line" },
      { number: '+14155550122', sms: false, name: 'Front desk (voice)' },
      { number: '+14155550144', sms: true, name: 'Spare' },
      { number: '+14155550155', name: 'Untested' },
    ],
    users: [
      { id: 'u-jane', name: 'Jane Doe', number: '+14155550111' },
      { id: 'u-raj', name: 'Raj Patel' },
      { id: 'u-vic', name: 'Vic Lowe', number: '+14155550122' },
      { id: 'u-ola', name: 'Ola Berg', number: '+14155550199' },
      { id: 'u-kim', name: 'Kim Ames', number: '+14155550155' },
    ],
    contacts: [
      { id: 'c-pat', name: 'Pat Kim', phone: '+14155559001' },
      { id: 'c-sam', name: 'Sam Ortiz', phone: '(415) 555-9002' },
      { id: 'c-dnd', name: 'Dee Null', phone: '+14155559003', smsDnd: true },
      { id: 'c-nophone', name: 'No Phone' },
      { id: 'c-badphone', name: 'Bad Phone', phone: '12345' },
    ],
    messages,
  };
}

/** An outbound message to Pat Kim from `number` at `at`. */
export function out(
  number: string,
  at: string,
  extra: Partial<SnapshotMessage> = {},
): SnapshotMessage {
  return { contactId: 'c-pat', number, direction: 'outbound', at, ...extra };
}

/** An inbound message from Pat Kim to `number` at `at`. */
export function inbound(number: string, at: string, body = 'hi'): SnapshotMessage {
  return { contactId: 'c-pat', number, direction: 'inbound', at, body };
}
