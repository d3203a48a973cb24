/**
 * The sender-number rules of ../shared/RULES.md, section by section. Pure and
 * synchronous: an index (built once per snapshot) and one send in, a
 * resolution with its trace out.
 */
import {
  type ActiveNumber,
  type Contact,
  type ContactFacts,
  describe,
  InvalidInput,
  invalidInput,
  type RulesIndex,
} from './snapshot-index';
import type {
  CheckName,
  Outcome,
  Refusal,
  RefusalCode,
  Resolution,
  RuleName,
  Send,
  TraceStep,
  WarningCode,
} from './types';

type Availability =
  | { kind: 'usable'; number: ActiveNumber }
  | { kind: 'voice-only'; number: ActiveNumber }
  | { kind: 'removed' };

type Decision = { from: string; rule: RuleName } | { error: RefusalCode; message: string };

const NO_FACTS: ContactFacts = {
  channel: undefined,
  lastManualPick: undefined,
  lastUsed: undefined,
  keyword: undefined,
};

/** One resolution in progress: the trace it writes and what it has learnt. */
class Run {
  readonly trace: TraceStep[] = [];
  readonly facts: ContactFacts;
  /** Steps from here on rest on a choice RULES.md marks as inferred. */
  inferredBranch = false;

  constructor(
    readonly index: RulesIndex,
    readonly contact: Contact,
  ) {
    this.facts = index.facts.get(contact.id) ?? NO_FACTS;
  }

  step(
    rule: RuleName | CheckName,
    outcome: Outcome,
    reason: string,
    extra?: { number?: string; code?: string; inferred?: boolean },
  ): void {
    const step: TraceStep = { rule, outcome, reason };
    if (extra?.number !== undefined) step.number = extra.number;
    if (extra?.code !== undefined) step.code = extra.code;
    if (extra?.inferred || this.inferredBranch) step.inferred = true;
    this.trace.push(step);
  }

  availability(e164: string): Availability {
    const number = this.index.numbers.get(e164);
    if (number === undefined) return { kind: 'removed' };
    return number.sms === false ? { kind: 'voice-only', number } : { kind: 'usable', number };
  }

  /** A number as a person reads it: national format, with its friendly name. */
  label(e164: string): string {
    const shown = this.index.phones.display(e164);
    const name = this.index.numbers.get(e164)?.name;
    return name ? `${shown} ("${name}")` : shown;
  }

  /** Why a number cannot be used, to finish a sentence about it. */
  unusable(availability: Availability): string {
    return availability.kind === 'removed'
      ? 'was removed from the sub-account'
      : 'is voice-only (cannot send SMS)';
  }

  /** A note for a usable number whose SMS capability nobody has confirmed. */
  capabilityNote(availability: Availability): string {
    return availability.kind === 'usable' && availability.number.sms === undefined
      ? ' Its SMS capability is unknown, so it is assumed able to send.'
      : '';
  }
}

function day(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

function sender(from: string, rule: RuleName): Decision {
  return { from, rule };
}

function refusal(error: RefusalCode, message: string): Decision {
  return { error, message };
}

// The rules in the order of ../shared/RULES.md: the composer's, a workflow's,
// a bulk action's, then what comes before any rule. Each rule writes its step
// of the trace and returns the decision, or null to let the next rule try.

// --- A send from the Conversations composer ---------------------------------

function conversation(run: Run, userId: string | undefined, pick: string | undefined): Decision {
  if (pick !== undefined) return manualPick(run, pick);
  run.step('manual-pick', 'not-applicable', 'No number was picked by hand for this send.');
  return (
    lastManualPick(run) ??
    userNumber(run, userId) ??
    channelNumber(run) ??
    defaultOutbound(run) ??
    noSenderNumber(run)
  );
}

/** `manual-pick`: the agent's pick for this send, never silently replaced. */
function manualPick(run: Run, pick: string): Decision {
  return fixedNumber(run, 'manual-pick', pick, 'The agent picked', 'pick-unavailable');
}

/** `last-manual-pick`: the number last picked by hand for the contact, if usable. */
function lastManualPick(run: Run): Decision | null {
  return fromHistory(run, 'last-manual-pick', run.facts.lastManualPick);
}

/**
 * `user-number`: the sending staff member's assigned number. A voice-only one
 * decides for the default outbound number, without the channel number.
 */
function userNumber(run: Run, userId: string | undefined): Decision | null {
  const user = userId === undefined ? undefined : run.index.staff.get(userId);
  if (userId === undefined) {
    run.step('user-number', 'not-applicable', 'No sending user is known.');
  } else if (user === undefined) {
    run.step(
      'user-number',
      'not-applicable',
      `The sending user (${userId}) is not in My Staff, so has no assigned number.`,
    );
  } else if (user.number === undefined) {
    run.step('user-number', 'not-applicable', `${user.name} has no assigned number.`);
  } else {
    const availability = run.availability(user.number);
    if (availability.kind === 'removed') {
      run.step(
        'user-number',
        'not-applicable',
        `${user.name}'s assigned number ${run.label(user.number)} was removed from the sub-account, so ${user.name} counts as having no number (inferred).`,
        { number: user.number, code: 'user-number-removed', inferred: true },
      );
    } else if (availability.kind === 'voice-only') {
      const code = 'user-number-not-sms-capable';
      run.step(
        'user-number',
        'skipped',
        `${user.name}'s number ${run.label(user.number)} is voice-only, so the default outbound number is used.`,
        { number: user.number, code },
      );
      run.step(
        'channel-number',
        'not-applicable',
        'Not tried: when the assigned number is voice-only, HighLevel goes straight to the default outbound number.',
        { code },
      );
      return defaultOutbound(run, code) ?? noSenderNumber(run);
    } else {
      run.step(
        'user-number',
        'applied',
        `${user.name} is sending, and ${user.name}'s assigned number ${run.label(user.number)} can send SMS.${run.capabilityNote(availability)}`,
        { number: user.number },
      );
      return sender(user.number, 'user-number');
    }
  }
  return null;
}

/** `channel-number`: the first number ever used with the contact, if usable; never a later one. */
function channelNumber(run: Run): Decision | null {
  const channel = run.facts.channel;
  const name = run.contact.name;
  if (channel === undefined) {
    run.step(
      'channel-number',
      'not-applicable',
      `${name} has no message history, so no channel number.`,
    );
    return null;
  }
  const availability = run.availability(channel.number);
  const what = `${name}'s channel number ${run.label(channel.number)} (first used on ${day(channel.at)})`;
  if (availability.kind !== 'usable') {
    const onward =
      availability.kind === 'removed' ? '; the rule does not move on to a later number' : '';
    run.step('channel-number', 'skipped', `${what} ${run.unusable(availability)}${onward}.`, {
      number: channel.number,
    });
    return null;
  }
  run.step(
    'channel-number',
    'applied',
    `${run.label(channel.number)} is ${name}'s channel number, the first number used with them (on ${day(channel.at)}).${run.capabilityNote(availability)}`,
    { number: channel.number },
  );
  return sender(channel.number, 'channel-number');
}

/** `default-outbound`: the sub-account's default outbound number, if usable. */
function defaultOutbound(run: Run, code?: string): Decision | null {
  const number = run.index.defaultNumber;
  if (number === undefined) {
    run.step(
      'default-outbound',
      'not-applicable',
      'The sub-account has no default outbound number.',
    );
    return null;
  }
  const availability = run.availability(number.e164);
  if (availability.kind !== 'usable') {
    run.step(
      'default-outbound',
      'skipped',
      `The default outbound number ${run.label(number.e164)} ${run.unusable(availability)}.`,
      { number: number.e164 },
    );
    return null;
  }
  run.step(
    'default-outbound',
    'applied',
    `${run.label(number.e164)} is the sub-account's default outbound number.${run.capabilityNote(availability)}`,
    { number: number.e164, code },
  );
  return sender(number.e164, 'default-outbound');
}

/** `no-sender-number`: every rule passed. */
function noSenderNumber(run: Run): Decision {
  return refusal(
    'no-sender-number',
    `No number of the sub-account can send this SMS to ${run.contact.name}.`,
  );
}

// --- A workflow's Send SMS ---------------------------------------------------

function workflow(run: Run, userId: string | undefined, fromNumber: string | undefined): Decision {
  if (fromNumber !== undefined) {
    return fixedNumber(
      run,
      'workflow-from-number',
      fromNumber,
      "The workflow's From Number is",
      'workflow-from-unavailable',
    );
  }
  run.step(
    'workflow-from-number',
    'not-applicable',
    'The workflow fixes no From Number; what follows is inferred, as HighLevel does not document it.',
  );
  run.inferredBranch = true;
  if (userId === undefined) {
    run.step('user-number', 'not-applicable', 'The workflow step does not act as a user.');
    return channelNumber(run) ?? defaultOutbound(run) ?? noSenderNumber(run);
  }
  return (
    userNumber(run, userId) ?? channelNumber(run) ?? defaultOutbound(run) ?? noSenderNumber(run)
  );
}

// --- A bulk SMS action -------------------------------------------------------

function bulk(run: Run, fromNumber: string | undefined): Decision {
  if (fromNumber !== undefined) {
    return fixedNumber(
      run,
      'bulk-from-number',
      fromNumber,
      'The bulk action picked',
      'bulk-from-unavailable',
    );
  }
  run.step('bulk-from-number', 'not-applicable', 'The bulk action picked no number.');
  return lastUsed(run) ?? defaultOutbound(run) ?? noSenderNumber(run);
}

/** `last-used`: the last number used to text the contact, if usable. */
function lastUsed(run: Run): Decision | null {
  return fromHistory(run, 'last-used', run.facts.lastUsed);
}

// --- Shared by several rules -------------------------------------------------

/** A number fixed by the send itself: a pick, a workflow's or a bulk action's From Number. */
function fixedNumber(
  run: Run,
  rule: RuleName,
  e164: string,
  who: string,
  unavailable: RefusalCode,
): Decision {
  const availability = run.availability(e164);
  if (availability.kind !== 'usable') {
    const reason = `${who} ${run.label(e164)}, which ${run.unusable(availability)}; an explicit choice is never replaced, so the send is refused.`;
    run.step(rule, 'applied', reason, { number: e164, code: unavailable });
    return refusal(unavailable, reason);
  }
  run.step(rule, 'applied', `${who} ${run.label(e164)}.${run.capabilityNote(availability)}`, {
    number: e164,
  });
  return sender(e164, rule);
}

/** How the two rules that take a number from the contact's history say what they found. */
const HISTORY_WORDS = {
  'last-manual-pick': {
    none: (name: string) => `No number was ever picked by hand for ${name}.`,
    found: (label: string, name: string, on: string) =>
      `${label} was last picked by hand for ${name} (on ${on}), so the composer preselects it.`,
    passed: (label: string, name: string, on: string) =>
      `${label}, last picked by hand for ${name} (on ${on})`,
    // Only this rule names why it passed over the number.
    codes: true,
  },
  'last-used': {
    none: (name: string) => `Nothing was ever sent to ${name}.`,
    found: (label: string, name: string, on: string) =>
      `${label} is the last number used to text ${name} (on ${on}).`,
    passed: (label: string, name: string, on: string) =>
      `${label}, last used to text ${name} (on ${on})`,
    codes: false,
  },
} as const;

/** `last-manual-pick` and `last-used`: a number from history decides if it is still usable. */
function fromHistory(
  run: Run,
  rule: keyof typeof HISTORY_WORDS,
  last: { number: string; at: number } | undefined,
): Decision | null {
  const words = HISTORY_WORDS[rule];
  const name = run.contact.name;
  if (last === undefined) {
    run.step(rule, 'not-applicable', words.none(name));
    return null;
  }
  const availability = run.availability(last.number);
  const label = run.label(last.number);
  if (availability.kind === 'usable') {
    run.step(
      rule,
      'applied',
      `${words.found(label, name, day(last.at))}${run.capabilityNote(availability)}`,
      { number: last.number },
    );
    return sender(last.number, rule);
  }
  run.step(
    rule,
    'skipped',
    `${words.passed(label, name, day(last.at))}, ${run.unusable(availability)}.`,
    words.codes
      ? {
          number: last.number,
          code: availability.kind === 'removed' ? 'removed' : 'not-sms-capable',
        }
      : { number: last.number },
  );
  return null;
}

// --- Before any rule ---------------------------------------------------------

/** The contact's opt-out state, as a sentence, or null when not opted out. */
function optedOut(run: Run): string | null {
  const { contact, facts } = run;
  if (contact.smsDnd) return `${contact.name} has SMS DND turned on`;
  if (facts.keyword?.kind === 'opt-out') {
    return `${contact.name} texted "${facts.keyword.body}" on ${day(facts.keyword.at)}`;
  }
  return null;
}

// --- Reading the send ----------------------------------------------------------

interface ReadSend {
  via: Send['via'];
  contact: Contact;
  userId: string | undefined;
  /** The pick (composer) or From Number (workflow, bulk), in E.164. */
  fixed: string | undefined;
}

function optionalText(record: Record<string, unknown>, key: string): string | undefined {
  const value = record[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string')
    throw new InvalidInput(`send.${key}`, `expected a string, got ${describe(value)}`);
  return value.trim() === '' ? undefined : value;
}

function readSend(index: RulesIndex, send: unknown): ReadSend {
  if (typeof send !== 'object' || send === null || Array.isArray(send)) {
    throw new InvalidInput('send', `expected an object, got ${describe(send)}`);
  }
  const record = send as Record<string, unknown>;
  const via = record.via;
  if (via !== 'conversation' && via !== 'workflow' && via !== 'bulk') {
    throw new InvalidInput(
      'send.via',
      `expected "conversation", "workflow" or "bulk", got ${describe(via)}`,
    );
  }
  const contactId = record.contactId;
  if (typeof contactId !== 'string' || contactId === '') {
    throw new InvalidInput(
      'send.contactId',
      `expected a non-empty string, got ${describe(contactId)}`,
    );
  }
  const contact = index.contacts.get(contactId);
  if (contact === undefined) {
    throw new InvalidInput(
      'send.contactId',
      `no contact ${describe(contactId)} in snapshot.contacts`,
    );
  }
  // A bulk send acts as nobody; a `pick` outside the composer is an unknown field.
  const userId = via === 'bulk' ? undefined : optionalText(record, 'userId');
  const key = via === 'conversation' ? 'pick' : 'fromNumber';
  const raw = optionalText(record, key);
  let fixed: string | undefined;
  if (raw !== undefined) {
    const e164 = index.phones.normalise(raw);
    if (e164 === null)
      throw new InvalidInput(`send.${key}`, `${describe(raw)} is not a valid phone number`);
    fixed = e164;
  }
  return { via, contact, userId, fixed };
}

function decide(run: Run, send: ReadSend): Decision {
  switch (send.via) {
    case 'conversation':
      return conversation(run, send.userId, send.fixed);
    case 'workflow':
      return workflow(run, send.userId, send.fixed);
    case 'bulk':
      return bulk(run, send.fixed);
  }
}

function warningsOf(run: Run, from: string | undefined): WarningCode[] {
  const warnings: WarningCode[] = [];
  if (from !== undefined && run.index.numbers.get(from)?.sms === undefined) {
    warnings.push('sms-capability-unknown');
  }
  if (run.trace.some((step) => step.inferred)) warnings.push('inferred');
  return warnings;
}

/** Resolves one send against an index built by `buildIndex`; never throws. */
export function resolve(index: RulesIndex, send: unknown): Resolution {
  try {
    return resolveRead(index, readSend(index, send));
  } catch (error) {
    if (error instanceof InvalidInput) return invalidInput(error.field, error.detail);
    // A fault of ours, not of the input; still kept inside the boundary.
    return invalidInput(
      'send',
      `could not be resolved (${error instanceof Error ? error.name : 'unknown error'})`,
    );
  }
}

function resolveRead(index: RulesIndex, read: ReadSend): Resolution {
  const run = new Run(index, read.contact);
  const contact = read.contact;

  const optOut = optedOut(run);
  if (optOut !== null) {
    run.step(
      'contact-opted-out',
      'applied',
      `${optOut}, so no SMS may go to them from any number. The rules below show which number would have been used.`,
    );
    decide(run, read);
    const refused: Refusal = {
      error: 'contact-opted-out',
      message: `${optOut}: no SMS may be sent to them.`,
      warnings: warningsOf(run, undefined),
      trace: run.trace,
    };
    return refused;
  }
  const lastKeyword = run.facts.keyword;
  run.step(
    'contact-opted-out',
    'not-applicable',
    lastKeyword === undefined
      ? `${contact.name} has not opted out of SMS.`
      : `${contact.name} opted back in by texting "${lastKeyword.body}" on ${day(lastKeyword.at)}.`,
  );

  if (contact.phone === null) {
    const problem =
      contact.rawPhone === undefined || contact.rawPhone.trim() === ''
        ? `${contact.name} has no phone number`
        : `${contact.name}'s phone ${describe(contact.rawPhone)} is not a valid phone number`;
    run.step('contact-has-no-phone', 'applied', `${problem}, so there is nobody to text.`);
    return {
      error: 'contact-has-no-phone',
      message: `${problem}.`,
      warnings: [],
      trace: run.trace,
    };
  }
  run.step(
    'contact-has-no-phone',
    'not-applicable',
    `${contact.name}'s phone is ${run.index.phones.display(contact.phone)}.`,
  );

  const decision = decide(run, read);
  if ('error' in decision) {
    return {
      error: decision.error,
      message: decision.message,
      warnings: warningsOf(run, undefined),
      trace: run.trace,
    };
  }
  return {
    from: decision.from,
    rule: decision.rule,
    warnings: warningsOf(run, decision.from),
    trace: run.trace,
  };
}
