/**
 * The options page's "Numbers and staff" view of a sub-account: its numbers
 * and its staff as tables, with the problems the sender rules
 * (../shared/RULES.md) will hit flagged in words. `buildNumbersView` is pure;
 * `numbersHandlers` serves it to extension pages.
 */
import { type Handlers, PublicError } from '../messaging/background';
import type {
  NumberRowView,
  NumbersProblem,
  NumbersStaffView,
  numbersRequests,
  SmsCapability,
  StaffRowView,
} from '../messaging/requests/numbers';
import { buildIndex, isIndex, type RulesIndex } from '../rules';
import type { Snapshot } from '../rules/types';
import { NOT_SYNCED } from './contact-index';
import type { BackgroundServices } from './services';
import { freshness } from './view-model';

/** "A", "A and B", "A, B and C". */
function listed(names: string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

function possessive(name: string): string {
  return name.endsWith('s') ? `${name}’` : `${name}’s`;
}

function capability(sms: boolean | undefined): SmsCapability {
  if (sms === undefined) return 'unknown';
  return sms ? 'sms' : 'voice-only';
}

/** Where a send falls back to once the rules reach `default-outbound`, in words. */
function fallbackWords(index: RulesIndex): { usable: boolean; text: string } {
  const fallback = index.defaultNumber;
  if (fallback === undefined || fallback.sms === false) return { usable: false, text: '' };
  return { usable: true, text: `the default number ${index.phones.display(fallback.e164)}` };
}

/**
 * The tables and problems of a snapshot. `syncedAt` and `now` give the
 * freshness line; a snapshot the rules cannot read is an `error` view naming
 * the field, as the badge would show it.
 */
export function buildNumbersView(
  locationId: string,
  snapshot: Snapshot,
  syncedAt: string | null,
  now: number,
): NumbersStaffView {
  const index = buildIndex(snapshot);
  if (!isIndex(index)) {
    return {
      state: 'error',
      locationId,
      message: `Sender Lens could not read the synced data (${index.field ?? 'snapshot'}); sync again.`,
      syncedAt,
    };
  }
  const display = (e164: string) => index.phones.display(e164);
  const problems: NumbersProblem[] = [];
  const numberProblems = new Map<string, string[]>();
  const staffProblems = new Map<string, string[]>();
  const flagNumber = (e164: string, message: string) => {
    numberProblems.set(e164, [...(numberProblems.get(e164) ?? []), message]);
  };
  const flagStaff = (id: string, message: string) => {
    staffProblems.set(id, [...(staffProblems.get(id) ?? []), message]);
  };

  // Sub-account-wide: the default the rules fall back to.
  const fallback = fallbackWords(index);
  const defaultNumber = index.defaultNumber;
  if (defaultNumber === undefined) {
    problems.push({
      code: 'no-default',
      message:
        'No default number is set: a send that falls back to the default is refused (no sender number).',
    });
  } else if (defaultNumber.sms === false) {
    const message = `The default number ${display(defaultNumber.e164)} is voice-only: a send that falls back to the default is refused (no sender number).`;
    problems.push({ code: 'default-not-sms', message, number: defaultNumber.e164 });
    flagNumber(defaultNumber.e164, message);
  }

  const staff = [...index.staff.values()].sort(
    (a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id),
  );
  const holders = new Map<string, { id: string; name: string }[]>();
  const staffRows: StaffRowView[] = staff.map((member) => {
    const row: StaffRowView = { id: member.id, name: member.name, problems: [] };
    const e164 = member.number;
    const active = e164 === undefined ? undefined : index.numbers.get(e164);
    if (e164 !== undefined) {
      const number: NonNullable<StaffRowView['number']> = {
        e164,
        display: display(e164),
        state: active ? 'active' : 'removed',
      };
      if (active?.name) number.name = active.name;
      row.number = number;
    }
    const noNumberTail = fallback.usable
      ? `their SMS go from the contact’s channel number, else ${fallback.text}.`
      : 'their SMS go from the contact’s channel number; without one they are refused, as there is no default number that can send SMS.';
    if (e164 === undefined) {
      const message = `${member.name} has no number: ${noNumberTail}`;
      problems.push({ code: 'staff-no-number', message, userIds: [member.id] });
      flagStaff(member.id, message);
    } else if (active === undefined) {
      const message = `${possessive(member.name)} number ${display(e164)} was removed from the sub-account: they count as having no number (inferred), so ${noNumberTail}`;
      problems.push({ code: 'staff-number-removed', message, number: e164, userIds: [member.id] });
      flagStaff(member.id, message);
    } else {
      holders.set(e164, [...(holders.get(e164) ?? []), { id: member.id, name: member.name }]);
      if (active.sms === false) {
        const message = fallback.usable
          ? `${possessive(member.name)} number ${display(e164)} is voice-only: their SMS go from ${fallback.text}, never the channel number.`
          : `${possessive(member.name)} number ${display(e164)} is voice-only: their SMS are refused, as there is no default number that can send SMS.`;
        problems.push({
          code: 'staff-number-voice-only',
          message,
          number: e164,
          userIds: [member.id],
        });
        flagStaff(member.id, message);
        flagNumber(e164, message);
      }
    }
    return row;
  });

  for (const [e164, people] of holders) {
    if (people.length < 2) continue;
    const message = `${display(e164)} is assigned to ${people.length === 2 ? 'two' : people.length} people, ${listed(people.map((p) => p.name))}: the SMS of each go out from it, so contacts cannot tell them apart.`;
    problems.push({
      code: 'number-shared',
      message,
      number: e164,
      userIds: people.map((p) => p.id),
    });
    flagNumber(e164, message);
    for (const person of people) flagStaff(person.id, message);
  }

  for (const row of staffRows) row.problems = staffProblems.get(row.id) ?? [];
  const numbers: NumberRowView[] = [...index.numbers.values()].map((number) => {
    const row: NumberRowView = {
      e164: number.e164,
      display: display(number.e164),
      sms: capability(number.sms),
      isDefault: number.isDefault,
      assignedTo: (holders.get(number.e164) ?? []).map((p) => p.name),
      problems: numberProblems.get(number.e164) ?? [],
    };
    if (number.name) row.name = number.name;
    if (number.pool !== undefined) row.pool = number.pool;
    return row;
  });

  return {
    state: 'ready',
    locationId,
    syncedAt,
    freshness: freshness(syncedAt, now),
    numbers,
    staff: staffRows,
    problems,
  };
}

/** The handler of `numbers-staff`. */
export function numbersHandlers(
  services: Pick<BackgroundServices, 'store' | 'now'>,
): Handlers<typeof numbersRequests> {
  return {
    async 'numbers-staff'({ locationId }) {
      const known = (await services.store.listLocations()).some((l) => l.locationId === locationId);
      if (!known) {
        throw new PublicError(
          `No sub-account ${locationId} is set up: add it with its HighLevel token first.`,
        );
      }
      const found = await services.store.getSnapshotForContacts(locationId, []);
      if (!found) return { state: 'not-synced', locationId, message: NOT_SYNCED };
      return buildNumbersView(locationId, found.snapshot, found.syncedAt, services.now());
    },
  };
}
