/**
 * Setup for bench/page.ts: the contract fakes seeded with Sunrise Dental and
 * the fixture pages serving one long generated conversation (the driver in
 * test/driver starts the fakes and the browsers), and the seeded history of
 * that conversation copied from the page into both fakes.
 */
import type { Page } from 'playwright-core';
import { type SeededFakes, startSeededFakes } from '../test/driver';
import { type FixtureServer, serveFixtures } from '../test/fixtures/serve';
import { type FixtureData, fixtureData } from '../test/page/load-fixture';

/** The conversation the bench opens; its contact is seeded in both fakes. */
export const BENCH_CONVERSATION = 'conv-hank';
const BENCH_CONTACT = 'hank';
const BENCH_USER = 'usr-jane-doe';

export interface BenchWorld extends SeededFakes {
  fixtures: FixtureServer;
  /** Address of the bench conversation on the fixture server. */
  url: string;
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
  const fakes = await startSeededFakes();
  const fixtures = await serveFixtures({ data: benchFixtureData(messages) });
  return {
    ...fakes,
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
