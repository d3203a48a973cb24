/**
 * The resolver's input and output, as ../shared/RULES.md and the scenario
 * format define them. Input fields are what a caller may hand in (any phone
 * format, ISO 8601 or RFC 2822 dates); output numbers are always E.164.
 */

/** One of the sub-account's active numbers. `sms` absent means unknown. */
export interface SnapshotNumber {
  number: string;
  sms?: boolean;
  default?: boolean;
  name?: string;
  /**
   * The number pool it is in (the pool's name, else its id). Shown to people
   * only: no rule reads it, and a pool number is as active as any other.
   */
  pool?: string;
}

/** A staff member (My Staff), optionally with an assigned number. */
export interface SnapshotUser {
  id: string;
  name?: string;
  number?: string;
}

export interface SnapshotContact {
  id: string;
  name?: string;
  phone?: string;
  smsDnd?: boolean;
}

/** One message of the history; `number` is the sub-account's side. */
export interface SnapshotMessage {
  contactId: string;
  number: string;
  direction: 'inbound' | 'outbound';
  /** ISO 8601 or RFC 2822. */
  at: string;
  /** The sender was picked by hand in the composer. */
  manual?: boolean;
  source?: string;
  body?: string;
}

export interface Snapshot {
  /** ISO 3166 alpha-2 country used to read national formats; default US. */
  country?: string;
  numbers: SnapshotNumber[];
  users: SnapshotUser[];
  contacts: SnapshotContact[];
  messages: SnapshotMessage[];
}

export interface ConversationSend {
  via: 'conversation';
  contactId: string;
  userId?: string;
  /** A number the agent picked for this send. */
  pick?: string;
}

export interface WorkflowSend {
  via: 'workflow';
  contactId: string;
  userId?: string;
  fromNumber?: string;
}

export interface BulkSend {
  via: 'bulk';
  contactId: string;
  fromNumber?: string;
}

export type Send = ConversationSend | WorkflowSend | BulkSend;

export type RuleName =
  | 'manual-pick'
  | 'last-manual-pick'
  | 'user-number'
  | 'channel-number'
  | 'default-outbound'
  | 'workflow-from-number'
  | 'bulk-from-number'
  | 'last-used';

export type RefusalCode =
  | 'pick-unavailable'
  | 'workflow-from-unavailable'
  | 'bulk-from-unavailable'
  | 'no-sender-number'
  | 'contact-opted-out'
  | 'contact-has-no-phone'
  | 'invalid-input';

export type WarningCode = 'sms-capability-unknown' | 'inferred';

/** Checks made before the rules; they appear in the trace like rules. */
export type CheckName = 'contact-has-no-phone' | 'contact-opted-out';

export type Outcome = 'applied' | 'skipped' | 'not-applicable';

export interface TraceStep {
  rule: RuleName | CheckName;
  outcome: Outcome;
  /** One line a person can read, naming the numbers and people involved. */
  reason: string;
  /** The number this step looked at, in E.164, where there was one. */
  number?: string;
  /** A machine-readable reason, e.g. `user-number-not-sms-capable`. */
  code?: string;
  /** The step rests on a choice RULES.md marks as inferred. */
  inferred?: boolean;
}

export interface Sender {
  from: string;
  rule: RuleName;
  warnings: WarningCode[];
  trace: TraceStep[];
}

export interface Refusal {
  error: RefusalCode;
  /** Why, in a sentence; for `invalid-input` it names the offending field. */
  message: string;
  /** For `invalid-input`: the path of the offending field, e.g. `snapshot.numbers[2].number`. */
  field?: string;
  warnings: WarningCode[];
  trace: TraceStep[];
}

export type Resolution = Sender | Refusal;

export function isRefusal(resolution: Resolution): resolution is Refusal {
  return 'error' in resolution;
}
