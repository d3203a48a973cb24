// `npm run demo` is the README's first command: run its tour against the e2e build (same
// loopback hosts as the demo build, already built by `npm run test:e2e`) and check that it
// still says the right thing and still saves every screenshot.
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type DemoResult, runDemo } from '../../scripts/demo';
import { ARTIFACTS_DIR, E2E_EXTENSION_DIR } from '../driver';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from a PNG's IHDR chunk; throws if the file is not a PNG. */
async function pngSize(path: string): Promise<{ width: number; height: number }> {
  const bytes = await readFile(path);
  if (!bytes.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error(`${path} is not a PNG`);
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('npm run demo', () => {
  let result: DemoResult;
  const lines: string[] = [];

  beforeAll(async () => {
    result = await runDemo({
      headless: true,
      extensionDir: E2E_EXTENSION_DIR,
      outDir: join(ARTIFACTS_DIR, 'demo'),
      log: (line) => lines.push(line),
    });
  });

  it('says the sender and the rule on each conversation of the tour', () => {
    expect(result.badges.map((b) => [b.contact, b.user, b.said])).toEqual([
      ['Alice Morgan', 'Jane Doe', 'From (415) 555-0102 Jane Doe your number'],
      ['Alice Morgan', 'Maria Chen', 'From (415) 555-0101 Main Office default'],
      ['Ben Carter', 'Vic Lowe', 'From (415) 555-0105 Hygiene channel number'],
      ['Carla Diaz', 'Vic Lowe', 'From (415) 555-0101 Main Office default'],
      [
        'Dev Shah',
        'Jane Doe',
        expect.stringMatching(/^Blocked: Dev Shah texted "STOP" on 2026-04-11$/),
      ],
    ]);
    const [, maria, , carla] = result.badges;
    expect(maria?.why.join('\n')).toMatch(/Skipped Your number: .*voice-only/);
    expect(carla?.why.join('\n')).toContain('was removed from the sub-account');
    // The report names each badge as it was read.
    for (const badge of result.badges) expect(lines).toContain(`    ${badge.said}`);
  });

  it('reads the tooltip, the switcher and the audit chips of the main conversation', () => {
    expect(result.tooltip[0]).toBe(
      'Next SMS goes out from (415) 555-0102 (Jane Doe), your number.',
    );
    expect(result.tooltip).toContainEqual(expect.stringMatching(/^✓ Applied Your number: /));
    expect(result.switcher).toHaveLength(12);
    expect(result.switcher.filter((o) => o.includes('Voice-only: cannot send SMS'))).toHaveLength(
      3,
    );
    expect(result.audit).toHaveLength(4);
    for (const chip of result.audit) expect(chip).toContain('(415) 555-0102');
    expect(result.auditDetails).toContainEqual(
      expect.stringMatching(/^Twilio SID: SM[0-9a-f]{32}$/),
    );
    expect(result.pageErrors).toEqual([]);
  });

  it('sends one message via Twilio and sees it delivered in place', () => {
    expect(result.sent?.counter).toBe('1 segment · GSM-7 · 43/1600');
    expect(result.sent?.row).toContain('Sent via Twilio from (415) 555-0102');
    expect(result.sent?.row).toContain('Delivered');
    expect(lines).toContain(`  the row in place: ${result.sent?.row}`);
  });

  it('saves every screenshot as a PNG of a sensible size', async () => {
    expect(result.screenshots.map((path) => basename(path))).toEqual([
      '01-options-synced.png',
      '02-conversation.png',
      '03-badge.png',
      '04-tooltip.png',
      '05-switcher.png',
      '06-switcher-voice-only.png',
      '07-audit.png',
      '08-audit-details.png',
      '09-sent.png',
      '10-tour-maria-voice-only.png',
      '11-tour-vic-channel-number.png',
      '12-tour-vic-removed-channel.png',
      '13-tour-jane-opted-out.png',
    ]);
    const sizes = new Map(
      await Promise.all(
        result.screenshots.map(
          async (path) => [basename(path, '.png'), await pngSize(path)] as const,
        ),
      ),
    );
    const size = (name: string) => {
      const found = sizes.get(name);
      if (!found) throw new Error(`no screenshot ${name}`);
      return found;
    };
    expect(size('02-conversation')).toEqual({ width: 1280, height: 720 });
    // Crops hold the composer, and the tooltip or switcher above it: wider than the badge,
    // taller than the composer alone, smaller than the page.
    for (const name of ['04-tooltip', '05-switcher', '10-tour-maria-voice-only']) {
      expect(size(name).width).toBeGreaterThan(300);
      expect(size(name).width).toBeLessThan(1280);
      expect(size(name).height).toBeGreaterThan(size('03-badge').height + 100);
    }
  });
});
