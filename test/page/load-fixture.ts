// Loads a dated fixture page into the happy-dom document of a test file and runs
// its script (fixture-app.js) the way a browser would, minus layout: happy-dom
// does not lay out, so scrolling is driven through `__fixture.scrollToIndex`.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FIXTURE_PAGES, type FixtureName } from '../fixtures/serve';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '../fixtures');
const SCRIPT = readFileSync(join(DIR, 'fixture-app.js'), 'utf8');

/** What fixture-app.js exposes as `window.__fixture`. */
export interface FixtureApi {
  ready: Promise<FixtureApi>;
  destroy(): void;
  /** The page's DOM names: `data-fixture-variant` (the three 2026-12-02 pages share 'dec'). */
  variant: FixtureName;
  mode: { contactLink: boolean; repaint: 'task' | 'frame' };
  sent: { conversationId: string; messageId: string; body: string; from: string | null }[];
  POOL: number;
  ROW: number;
  navigate(conversationId: string): void;
  scrollToIndex(index: number): void;
  scrollToBottom(): void;
  appendMessages(n: number, first?: 'inbound' | 'outbound'): void;
  /** 2026-12-02 page: the page's own script sets the From picker (no person involved). */
  setFromNumber(number: string): void;
  /** 2026-12-02 page: expands or collapses the composer (and with it the From picker). */
  setExpanded(on: boolean): void;
  itemAt(
    index: number,
  ):
    | { kind: 'date'; day: string }
    | { kind: 'message'; id: string; direction: string; body: string; at: string }
    | null;
  state(): {
    conversationId: string | null;
    start: number;
    total: number;
    selectedNumber: string | null;
    /** 'provider' and 'owner' on the older pages; 'channel' and 'from' on the 2026-12-02 one. */
    menuOpen: string | null;
    /** Animation frames in which the list repainted (frame mode only). */
    frames: number;
    /** 2026-12-02 page: the channel picker's choice, the composer, and how often each picker was opened. */
    channel: string;
    expanded: boolean;
    fromOpens: number;
    channelOpens: number;
  };
}

type FixtureWindow = typeof window & { __FIXTURE_DATA__?: unknown; __fixture?: FixtureApi };

/** The default data, parsed fresh so a test can change its copy. */
export function fixtureData(): FixtureData {
  return JSON.parse(readFileSync(join(DIR, 'fixture-data.json'), 'utf8')) as FixtureData;
}

export interface FixtureData {
  location: { id: string; name: string };
  currentUserId: string | null;
  appUtils?: 'promise' | 'sync' | 'absent';
  users: { id: string; name: string; role: string; lcPhone?: string }[];
  numbers: { number: string; name?: string; inPicker?: boolean }[];
  conversations: {
    id: string;
    contact: { id: string; name?: string; phone?: string };
    /** The number HighLevel's From picker preselects on the 2026-12-02 page; else the default. */
    lastUsedNumber?: string;
    messages: unknown;
  }[];
  [key: string]: unknown;
}

/** Puts a fixture page's HTML into `document` without running its scripts. */
export function loadStaticFixture(name: FixtureName, path?: string): void {
  window.history.replaceState(
    null,
    '',
    path ?? '/v2/location/loc-demo/conversations/conversations/conv-alice',
  );
  // happy-dom refuses to load scripts and stylesheets; drop them instead of letting it log
  // each refusal. The test runs the script itself.
  const html = readFileSync(join(DIR, FIXTURE_PAGES[name]), 'utf8')
    .replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, '')
    .replace(/<link\b[^>]*>/g, '');
  const parsed = new DOMParser().parseFromString(html, 'text/html');
  document.documentElement.remove();
  document.appendChild(document.importNode(parsed.documentElement, true));
}

/** Loads a fixture page at `path` and runs its app with `data` (default: fixture-data.json). */
export async function loadFixture(
  name: FixtureName,
  options: { path?: string; data?: unknown } = {},
): Promise<FixtureApi> {
  loadStaticFixture(name, options.path);
  const win = window as FixtureWindow;
  win.__FIXTURE_DATA__ = options.data ?? fixtureData();
  new Function(SCRIPT)();
  const fixture = win.__fixture;
  if (!fixture) throw new Error('fixture-app.js did not define window.__fixture');
  return fixture.ready;
}
