/**
 * Turns the resolver's answers into the view models of components/types.ts:
 * numbers formatted, rules and warnings in words. Runs in the background, so
 * the content script never carries a phone parser.
 */
import type {
  SenderView,
  SwitcherOption,
  SwitcherTag,
  SwitcherUser,
  TraceLine,
} from '../messaging/views';
import type { RulesIndex } from '../rules';
import {
  isRefusal,
  type Refusal,
  type Resolution,
  type RuleName,
  type TraceStep,
  type WarningCode,
} from '../rules/types';

/** The rule that chose the sender, in a word or two, as the badge shows it. */
export const RULE_WORDS: Record<RuleName, string> = {
  'manual-pick': 'picked',
  'last-manual-pick': 'last pick',
  'user-number': 'your number',
  'channel-number': 'channel number',
  'default-outbound': 'default',
  'workflow-from-number': 'workflow',
  'bulk-from-number': 'bulk pick',
  'last-used': 'last used',
};

/** Each step of the trace, named as the tooltip lists it. */
export const STEP_LABELS: Record<TraceStep['rule'], string> = {
  'contact-opted-out': 'Opt-out',
  'contact-has-no-phone': 'Contact phone',
  'manual-pick': 'Picked for this send',
  'last-manual-pick': 'Last manual pick',
  'user-number': 'Your number',
  'channel-number': 'Channel number',
  'default-outbound': 'Default outbound number',
  'workflow-from-number': "Workflow's From Number",
  'bulk-from-number': "Bulk action's number",
  'last-used': 'Last used number',
};

const WARNINGS: Record<WarningCode, string> = {
  'sms-capability-unknown':
    'HighLevel does not say whether this number can send SMS; Sender Lens assumes it can.',
  inferred:
    'Part of this prediction rests on a rule HighLevel does not document, so it is inferred.',
};

/** Voice-only numbers are listed in the switcher but cannot be chosen. */
export const VOICE_ONLY_REASON = 'Voice-only: cannot send SMS';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Synced data older than this earns a warning: numbers and staff may have changed. */
export const STALE_AFTER_MS = DAY;

/** How fresh the synced data is, in words: 'Synced 3 min ago', 'Never synced'. */
export function freshness(syncedAt: string | null, now: number): string {
  if (syncedAt === null) return 'Never synced';
  const at = Date.parse(syncedAt);
  if (Number.isNaN(at)) return 'Sync time unknown';
  const age = Math.max(0, now - at);
  if (age < MINUTE) return 'Synced just now';
  if (age < HOUR) return `Synced ${Math.floor(age / MINUTE)} min ago`;
  if (age < 2 * DAY) return `Synced ${Math.floor(age / HOUR)} h ago`;
  return `Synced ${Math.floor(age / DAY)} days ago`;
}

/** The number's display form and friendly name, from the index of active numbers. */
export function describeNumber(
  index: RulesIndex,
  e164: string,
): { display: string; name?: string } {
  const display = index.phones.display(e164);
  const name = index.numbers.get(e164)?.name;
  return name ? { display, name } : { display };
}

/**
 * Each step in words. A step about a number in a number pool says which pool:
 * a pool number is sent from like any other, and the pool is what people know
 * it by. The resolver never reads pools, so the words are added here.
 */
function traceLines(trace: TraceStep[], index: RulesIndex): TraceLine[] {
  return trace.map((step) => {
    const pool = step.number === undefined ? undefined : index.numbers.get(step.number)?.pool;
    const reason =
      pool === undefined || step.number === undefined
        ? step.reason
        : `${step.reason} ${index.phones.display(step.number)} is in number pool "${pool}".`;
    return {
      rule: step.rule,
      label: STEP_LABELS[step.rule] ?? step.rule,
      outcome: step.outcome,
      reason,
      inferred: step.inferred === true,
    };
  });
}

function withoutFinalStop(text: string): string {
  return text.replace(/\.\s*$/, '');
}

/** The refusal's reason, short enough for the badge; the tooltip's trace has the rest. */
function blockedReason(refusal: Refusal, index: RulesIndex): string {
  switch (refusal.error) {
    case 'contact-opted-out': {
      // The resolver's message is "<who did what>: no SMS may be sent to them."
      const cut = refusal.message.indexOf(': no SMS');
      return cut > 0 ? refusal.message.slice(0, cut) : withoutFinalStop(refusal.message);
    }
    case 'pick-unavailable': {
      const step = refusal.trace.find((s) => s.rule === 'manual-pick' && s.number);
      if (!step?.number) return withoutFinalStop(refusal.message);
      const why = index.numbers.has(step.number) ? 'is voice-only' : 'was removed';
      return `Picked number ${index.phones.display(step.number)} ${why}`;
    }
    default:
      return withoutFinalStop(refusal.message);
  }
}

/**
 * For an opted-out contact: the number the rules would have used, i.e. the
 * last applied step after the opt-out check that names a number.
 */
function wouldHaveBeen(refusal: Refusal, index: RulesIndex): string | undefined {
  if (refusal.error !== 'contact-opted-out') return undefined;
  const applied = refusal.trace.filter(
    (s) => s.outcome === 'applied' && s.rule !== 'contact-opted-out' && s.number !== undefined,
  );
  const last = applied[applied.length - 1];
  if (!last?.number) return undefined;
  const { display, name } = describeNumber(index, last.number);
  return name ? `${display} (${name})` : display;
}

export interface SenderViewContext {
  index: RulesIndex;
  syncedAt: string | null;
  now: number;
}

/** The sender badge's view of one resolution. */
export function buildSenderView(resolution: Resolution, context: SenderViewContext): SenderView {
  const { index, syncedAt, now } = context;
  const inferred =
    resolution.warnings.includes('inferred') || resolution.trace.some((s) => s.inferred === true);
  const warnings = resolution.warnings.map((code) => WARNINGS[code] ?? code);
  const stale = syncedAt !== null && now - Date.parse(syncedAt) > STALE_AFTER_MS;
  if (stale) {
    warnings.push(
      'The synced data is more than a day old: numbers or staff may have changed since.',
    );
  }
  const base = {
    // Lets the badge name a stale sync as the likeliest reason HighLevel's picker differs.
    ...(stale ? { stale: true } : {}),
    inferred,
    warnings,
    trace: traceLines(resolution.trace, index),
    freshness: freshness(syncedAt, now),
  };

  if (!isRefusal(resolution)) {
    const { display, name } = describeNumber(index, resolution.from);
    const view: SenderView = {
      ...base,
      state: 'sender',
      numberDisplay: display,
      numberE164: resolution.from,
      ruleWord: RULE_WORDS[resolution.rule] ?? resolution.rule,
    };
    if (name) view.friendlyName = name;
    return view;
  }
  if (resolution.error === 'invalid-input') {
    return {
      ...base,
      state: 'error',
      message: `Sender Lens could not read the synced data (${resolution.field ?? 'snapshot'}); sync again.`,
    };
  }
  const view: SenderView = {
    ...base,
    state: 'blocked',
    blockedReason: blockedReason(resolution, index),
  };
  const would = wouldHaveBeen(resolution, index);
  if (would) view.wouldHaveBeen = would;
  return view;
}

/** A view without a resolution: not synced yet, or a failure explained in `message`. */
export function messageView(
  state: 'not-synced' | 'error',
  message: string,
  syncedAt: string | null,
  now: number,
): SenderView {
  return {
    state,
    message,
    inferred: false,
    warnings: [],
    trace: [],
    freshness: freshness(syncedAt, now),
  };
}

export interface SwitcherContext {
  contactId: string;
  userId?: string;
  /** The number the next SMS goes out from, when there is one. */
  current?: string;
}

// Tagged numbers first, in the order a person looks for them.
const TAG_ORDER: SwitcherTag[] = ['current', 'yours', 'channel', 'last pick', 'default'];

/**
 * Every active number of the sub-account for the quick switcher, tagged
 * (current, yours, channel, last pick, default); voice-only numbers are
 * listed disabled with the reason. A number assigned to another staff member
 * is marked with their name: HighLevel's own picker offers a user only the
 * default, the last-used, their own and unassigned numbers. Tagged numbers
 * come first, then the others, then the marked ones, disabled last.
 */
export function buildSwitcherOptions(
  index: RulesIndex,
  context: SwitcherContext,
): SwitcherOption[] {
  const facts = index.facts.get(context.contactId);
  const yours = context.userId === undefined ? undefined : index.staff.get(context.userId)?.number;
  const tagged: Partial<Record<SwitcherTag, string>> = {
    current: context.current,
    yours,
    channel: facts?.channel?.number,
    'last pick': facts?.lastManualPick?.number,
    default: index.defaultNumber?.e164,
  };
  // Who else holds each number; only when the agent is known, else "another" means nothing.
  const others = new Map<string, string>();
  if (context.userId !== undefined) {
    for (const member of index.staff.values()) {
      if (member.id !== context.userId && member.number) others.set(member.number, member.name);
    }
  }
  const offered = new Set([index.defaultNumber?.e164, facts?.lastUsed?.number, yours]);
  const options = [...index.numbers.values()].map((number): SwitcherOption => {
    const option: SwitcherOption = {
      e164: number.e164,
      display: index.phones.display(number.e164),
      tags: TAG_ORDER.filter((tag) => tagged[tag] === number.e164),
    };
    if (number.name) option.name = number.name;
    if (number.sms === false) option.disabledReason = VOICE_ONLY_REASON;
    const owner = others.get(number.e164);
    if (owner !== undefined && !offered.has(number.e164)) option.assignedTo = owner;
    return option;
  });
  const rank = (option: SwitcherOption) => {
    if (option.disabledReason) return TAG_ORDER.length + 2;
    const first = option.tags[0];
    if (first !== undefined) return TAG_ORDER.indexOf(first);
    return option.assignedTo === undefined ? TAG_ORDER.length : TAG_ORDER.length + 1;
  };
  // Stable sort: within a rank the store's order (by number) stays.
  return options.sort((a, b) => rank(a) - rank(b));
}

/** The sub-account's staff by name, for "I am …". */
export function buildSwitcherUsers(index: RulesIndex): SwitcherUser[] {
  return [...index.staff.values()]
    .map((user) => ({ id: user.id, name: user.name || user.id }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
