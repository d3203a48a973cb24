/**
 * A sub-account in the contract fakes, a fresh store, and clients that retry
 * without waiting: what every sync test starts from.
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import type { BackgroundServices } from '../../lib/background/services';
import { createSyncService, type SyncServiceOptions } from '../../lib/background/sync';
import { twilioClientFor } from '../../lib/background/twilio-account';
import { HighLevelClient } from '../../lib/highlevel';
import { Secret, type TwilioCredentials } from '../../lib/secrets';
import { openStore, type Store } from '../../lib/store';
import { type RunSyncOptions, runSync } from '../../lib/sync';
import { TwilioClient } from '../../lib/twilio';
import {
  createFakeHighLevel,
  createFakeTwilio,
  type FakeHighLevel,
  type FakeTwilio,
  type FakeTwilioAccount,
  type SeededSubAccount,
  seedBelievableSubAccount,
} from '../fakes';

/** The seeded history's clock: messages are dated minutes before it. */
export const NOW = Date.UTC(2026, 0, 15, 12);

export interface World {
  twilio: FakeTwilio;
  /** Sunrise Dental's Twilio subaccount, when the world was made with one. */
  subaccount: FakeTwilioAccount | null;
  highlevel: FakeHighLevel;
  seeded: SeededSubAccount;
  store: Store;
  factory: IDBFactory;
  clock: { now: number };
  /** Swaps the fetch the clients use (to break answers on the way). */
  fetches: { twilio: typeof fetch; highlevel: typeof fetch };
  /** The token and secret the clients send; tests change them to get 401s. */
  credentials: {
    twilioToken: string;
    highlevelToken: string;
    /** Saved Twilio credentials other than the main Auth Token, e.g. an API key. */
    twilio?: TwilioCredentials;
  };
  twilioClient(): TwilioClient;
  highlevelClient(): HighLevelClient;
  services(): Omit<BackgroundServices, 'sync'>;
  sync(options?: Partial<RunSyncOptions>): ReturnType<typeof runSync>;
}

const fast = { sleep: async () => {}, random: () => 0 };

/**
 * Fakes seeded with Sunrise Dental, a fresh store and clients pointing at the
 * fakes. With `twilioSubaccount`, Sunrise Dental's Twilio side lives in a
 * subaccount of the main account (which keeps a number and a message of its
 * own), and the store maps the sub-account to it.
 */
export async function makeWorld(options: { twilioSubaccount?: boolean } = {}): Promise<World> {
  const twilio = await createFakeTwilio();
  const highlevel = await createFakeHighLevel();
  const subaccount = options.twilioSubaccount
    ? twilio.addSubaccount({ friendlyName: 'Sunrise Dental' })
    : null;
  const seeded = seedBelievableSubAccount(subaccount ?? twilio, highlevel, { now: new Date(NOW) });
  const factory = new IDBFactory();
  const clock = { now: NOW };
  const store = await openStore({ factory, now: () => clock.now });
  if (subaccount !== null) {
    twilio.addIncomingNumber({ phoneNumber: '+14155550999', friendlyName: 'Agency line' });
    twilio.addMessage({
      from: '+14155550999',
      to: '+16285550100',
      body: 'From the agency, not Sunrise Dental',
      dateSent: new Date(NOW - 60_000),
    });
    await store.setLocationSettings(seeded.locationId, {
      twilioAccountSid: subaccount.accountSid,
    });
  }
  const fetches = { twilio: twilio.fetch, highlevel: highlevel.fetch };
  const credentials: World['credentials'] = {
    twilioToken: twilio.authToken,
    highlevelToken: highlevel.token,
  };
  const world: World = {
    twilio,
    subaccount,
    highlevel,
    seeded,
    store,
    factory,
    clock,
    fetches,
    credentials,
    twilioClient: () =>
      new TwilioClient({
        ...fast,
        fetch: (input, init) => fetches.twilio(input, init),
        credentials: {
          kind: 'auth-token',
          accountSid: twilio.accountSid,
          authToken: credentials.twilioToken,
        },
      }),
    highlevelClient: () =>
      new HighLevelClient({
        ...fast,
        fetch: (input, init) => fetches.highlevel(input, init),
        credentials: { token: credentials.highlevelToken },
      }),
    services: () => ({
      store,
      apiBases: {
        twilio: 'https://api.twilio.com',
        highlevel: 'https://services.leadconnectorhq.com',
      },
      now: () => clock.now,
      // As the worker builds it: the sub-account's mapped account, from the saved credentials.
      twilio: async (locationId) =>
        twilioClientFor({
          credentials: credentials.twilio ?? {
            kind: 'auth-token',
            accountSid: twilio.accountSid,
            authToken: new Secret(credentials.twilioToken),
          },
          store,
          locationId,
          http: { ...fast, fetch: (input, init) => fetches.twilio(input, init) },
        }),
      highlevel: async () => world.highlevelClient(),
    }),
    sync: (options = {}) =>
      runSync({
        store,
        locationId: seeded.locationId,
        kind: 'full',
        twilio: async () => world.twilioClient(),
        highlevel: async () => world.highlevelClient(),
        now: () => clock.now,
        ...options,
      }),
  };
  return world;
}

/** The sync service over a world's fakes. */
export function serviceOf(world: World, options: SyncServiceOptions = {}) {
  return createSyncService(world.services(), options);
}

/**
 * Wraps a fake's fetch so that requests whose path matches `path` get
 * `answer` instead; every other request goes through.
 */
export function answering(
  fetchImpl: typeof fetch,
  path: RegExp,
  answer: () => Response,
): typeof fetch {
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (path.test(url.pathname)) return answer();
    return fetchImpl(input, init);
  }) as typeof fetch;
}
