/**
 * Setup for bench/page.ts: the contract fakes seeded with Sunrise Dental, the
 * fixture pages serving one long generated conversation, a Chromium with the
 * e2e build configured and synced through its own requests (as
 * test/e2e/page.test.ts does it), and a plain Chromium for the baseline.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import {
  connectAndSync,
  E2E_EXTENSION_DIR,
  type LaunchedExtension,
  launchWithExtension,
  pointAtFakes,
} from '../test/e2e/harness';
import {
  createFakeHighLevel,
  createFakeTwilio,
  type FakeHighLevel,
  type FakeTwilio,
  type SeededSubAccount,
  type ServedFakes,
  seedBelievableSubAccount,
  serveFakes,
} from '../test/fakes';
import { type FixtureServer, serveFixtures } from '../test/fixtures/serve';
import { type FixtureData, fixtureData } from '../test/page/load-fixture';

/** The fixture data's clock: the seeded histories line up with the page's messages. */
export const FIXTURE_NOW = new Date('2026-05-26T16:00:00Z');

/** The conversation the bench opens; its contact is seeded in both fakes. */
export const BENCH_CONVERSATION = 'conv-hank';
const BENCH_CONTACT = 'hank';
const BENCH_USER = 'usr-jane-doe';

export interface BenchWorld {
  twilio: FakeTwilio;
  highlevel: FakeHighLevel;
  seeded: SeededSubAccount;
  fakes: ServedFakes;
  fixtures: FixtureServer;
  /** Address of the bench conversation on the fixture server. */
  url: string;
  close(): Promise<void>;
}

/** The default fixture data with the bench conversation generated at `messages` messages. */
export function benchFixtureData(messages: number): FixtureData {
  const data = fixtureData();
  const conversation = data.conversations.find((c) => c.id === BENCH_CONVERSATION);
  if (!conversation) throw new Error(`fixture-data.json has no ${BENCH_CONVERSATION}`);
  conversation.messages = { generate: messages };
  return { ...data, currentUserId: BENCH_USER };
}

/** Starts the fakes (seeded) and the fixture server with a `messages`-long conversation. */
export async function startWorld(messages: number): Promise<BenchWorld> {
  const [twilio, highlevel] = await Promise.all([createFakeTwilio(), createFakeHighLevel()]);
  const seeded = seedBelievableSubAccount(twilio, highlevel, { now: FIXTURE_NOW });
  const fakes = await serveFakes({ twilio, highlevel });
  const fixtures = await serveFixtures({ data: benchFixtureData(messages) });
  return {
    twilio,
    highlevel,
    seeded,
    fakes,
    fixtures,
    url: fixtures.conversationUrl(BENCH_CONVERSATION),
    async close() {
      await fixtures.close();
      await fakes.close();
    },
  };
}

interface PageMessage {
  id: string;
  direction: 'inbound' | 'outbound';
  body: string;
  at: string;
}

/**
 * Reads the generated conversation from the page (the fixture's generator is
 * the one source of its messages) and gives both fakes the same history, SIDs
 * linked, so every row has a Twilio match to show.
 */
export async function seedConversationFromPage(world: BenchWorld, page: Page): Promise<number> {
  await page.goto(world.url);
  // A string, not a function: tsx would add helpers the page does not have.
  const messages = (await page.evaluate(`(async () => {
    const fixture = await window.__fixture.ready;
    const out = [];
    for (let i = 0; i < fixture.state().total; i++) {
      const item = fixture.itemAt(i);
      if (item && item.kind === 'message') out.push(item);
    }
    return out;
  })()`)) as PageMessage[];
  const { twilio, highlevel, seeded } = world;
  const theirs = seeded.contactPhones[BENCH_CONTACT];
  if (!theirs) throw new Error(`the seed gives ${BENCH_CONTACT} no phone`);
  const ours = seeded.numbers.main.phone;
  highlevel.addConversation(seeded.locationId, {
    id: BENCH_CONVERSATION,
    contactId: seeded.contacts[BENCH_CONTACT],
  });
  for (const m of messages) {
    const out = m.direction === 'outbound';
    const sid = twilio.addMessage({
      from: out ? ours : theirs,
      to: out ? theirs : ours,
      body: m.body,
      direction: out ? 'outbound-api' : 'inbound',
      dateSent: new Date(m.at),
    });
    highlevel.addConversationMessage(BENCH_CONVERSATION, {
      id: m.id,
      direction: m.direction,
      body: m.body,
      dateAdded: new Date(m.at),
      altId: sid,
    });
  }
  return messages.length;
}

/**
 * Chromium with the e2e build (or another test build, say an unminified one for
 * profiling), pointed at the fakes, credentials saved, and one full sync done.
 */
export async function launchConfiguredExtension(
  world: BenchWorld,
  extensionDir = E2E_EXTENSION_DIR,
): Promise<LaunchedExtension> {
  const extension = await launchWithExtension({ extensionDir });
  try {
    await pointAtFakes(extension, world.fakes);
    const settings = await extension.context.newPage();
    await settings.goto(`chrome-extension://${extension.extensionId}/options.html`);
    const { twilio, highlevel, seeded } = world;
    await connectAndSync(settings, { twilio, highlevel, locationId: seeded.locationId });
    // Nothing else open while measuring: only the bench page and the service worker.
    await settings.close();
    return extension;
  } catch (error) {
    await extension.close();
    throw error;
  }
}

export interface PlainBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** The same Chromium with the same flags, minus the extension: the baseline. */
export async function launchPlain(): Promise<PlainBrowser> {
  const userDataDir = await mkdtemp(join(tmpdir(), 'sender-lens-bench-'));
  try {
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    return {
      context,
      async close() {
        await context.close();
        await rm(userDataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(userDataDir, { recursive: true, force: true });
    throw error;
  }
}
