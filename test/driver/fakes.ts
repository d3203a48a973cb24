// The contract fakes of Twilio and HighLevel, seeded with Sunrise Dental and served on 127.0.0.1.
import {
  createFakeHighLevel,
  createFakeTwilio,
  type FakeHighLevel,
  type FakeTwilio,
  type SeededSubAccount,
  type ServedFakes,
  seedBelievableSubAccount,
  serveFakes,
} from '../fakes';

/** The fixture pages' clock: seeded with it, the fakes' histories line up with the pages' messages. */
export const FIXTURE_NOW = new Date('2026-05-26T16:00:00Z');

export interface SeededFakes {
  twilio: FakeTwilio;
  highlevel: FakeHighLevel;
  seeded: SeededSubAccount;
  /** The fakes' addresses; give them to `pointAtFakes`. */
  served: ServedFakes;
  close(): Promise<void>;
}

/**
 * Starts both fakes, seeds Sunrise Dental into them (its history ending at `now`, by default
 * the fixture clock) and serves them over HTTP.
 */
export async function startSeededFakes(options: { now?: Date } = {}): Promise<SeededFakes> {
  const [twilio, highlevel] = await Promise.all([createFakeTwilio(), createFakeHighLevel()]);
  const seeded = seedBelievableSubAccount(twilio, highlevel, { now: options.now ?? FIXTURE_NOW });
  const served = await serveFakes({ twilio, highlevel });
  return { twilio, highlevel, seeded, served, close: () => served.close() };
}
