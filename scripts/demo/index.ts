// `npm run demo`: Sender Lens on a believable sub-account, without a HighLevel or Twilio account.
// Starts the contract fakes (seeded as "Sunrise Dental") and the fixture Conversations page on
// 127.0.0.1, loads the demo build into Debian's Chromium, connects it through the real options
// page, then opens conversations that show different rules and saves screenshots of the badge,
// the "why this number" tooltip, the switcher and the audit chips. The tour itself is data, in
// tour.ts; run.ts plays it.
//
// Usage: tsx scripts/demo/index.ts [--headless | --headed] [--out DIR]   (npm run demo builds first)
// Without a display or with --headless it runs headless, prints what it saw and exits; with a
// display it leaves the browser open until Ctrl+C.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_PATH_VAR, chromiumPath, DEFAULT_CHROMIUM_PATH } from '../../test/driver/chromium';
import { runDemo } from './run';

export { DEMO_EXTENSION_DIR } from '../../test/driver/paths';
export { type BadgeSeen, DEMO_OUT_DIR, type DemoOptions, type DemoResult, runDemo } from './run';

/** Finds Debian's Chromium, installing it when running as root with apt-get; null if it cannot. */
function ensureChromium(): string | null {
  const path = chromiumPath();
  if (existsSync(path)) return path;
  if (process.env[CHROMIUM_PATH_VAR]) {
    console.error(`${CHROMIUM_PATH_VAR} is ${path}, which does not exist.`);
    return null;
  }
  const root = process.getuid?.() === 0;
  const apt = spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' }).status === 0;
  if (!root || !apt) {
    console.error(
      `The demo needs Debian's Chromium at ${DEFAULT_CHROMIUM_PATH}. Install it with:\n\n` +
        '  sudo apt-get install -y chromium\n\n' +
        `or point ${CHROMIUM_PATH_VAR} at a Chromium binary.`,
    );
    return null;
  }
  console.error("Chromium is missing; installing Debian's chromium (apt-get install -y chromium)…");
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', 'chromium']]) {
    // apt's chatter goes to stderr so stdout stays the demo's report.
    const run = spawnSync('apt-get', args, { stdio: ['ignore', 2, 2], env });
    if (run.status !== 0) {
      console.error(`apt-get ${args.join(' ')} failed (exit ${run.status}).`);
      return null;
    }
  }
  return existsSync(path) ? path : null;
}

async function main(argv: string[]): Promise<number> {
  let outDir: string | undefined;
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--out' && argv[i + 1]) outDir = argv[++i];
    else if (arg === '--headless' || arg === '--headed') flags.add(arg);
    else {
      console.error(`Unknown argument "${arg}".`);
      console.error('Usage: tsx scripts/demo/index.ts [--headless | --headed] [--out DIR]');
      return 2;
    }
  }
  if (!ensureChromium()) return 1;
  const display = Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
  if (flags.has('--headed') && !display) {
    console.error(
      '--headed needs a display (DISPLAY or WAYLAND_DISPLAY); run without it for headless.',
    );
    return 2;
  }
  const headless = flags.has('--headless') || !display;
  let stop: () => void = () => {};
  const stopped = new Promise<void>((resolve) => {
    stop = resolve;
  });
  if (!headless) {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, stop);
  }
  const started = Date.now();
  try {
    await runDemo({ headless, outDir, keepOpenUntil: headless ? undefined : stopped });
  } catch (error) {
    console.error(`\nDemo failed: ${(error as Error).message}`);
    return 1;
  }
  console.log(`\nDone in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
