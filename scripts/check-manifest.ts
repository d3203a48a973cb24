// Checks the built manifests: production builds must never reach loopback hosts, while the e2e
// build must, or its tests would pass against a manifest that cannot talk to the fakes.
// Usage: tsx scripts/check-manifest.ts (after `npm run build` and `npm run build:e2e`).
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

interface ManifestLike {
  host_permissions?: string[];
  optional_host_permissions?: string[];
  permissions?: string[];
  content_scripts?: { matches?: string[] }[];
}

const LOCAL_HOST = /^[a-z*]+:\/\/(127\.0\.0\.1|localhost|\[::1\]|0\.0\.0\.0)([:/]|$)/i;

/** Every host pattern a manifest grants or injects into, labelled with where it came from. */
export function hostPatterns(manifest: ManifestLike): { where: string; pattern: string }[] {
  const found: { where: string; pattern: string }[] = [];
  const add = (where: string, list: string[] | undefined) => {
    for (const pattern of list ?? []) found.push({ where, pattern });
  };
  add('host_permissions', manifest.host_permissions);
  add('optional_host_permissions', manifest.optional_host_permissions);
  // MV2-style host entries in permissions would grant access just the same.
  add('permissions', manifest.permissions);
  manifest.content_scripts?.forEach((script, i) => {
    add(`content_scripts[${i}].matches`, script.matches);
  });
  return found;
}

/** Problems with a production manifest: any loopback host it grants or injects into. */
export function productionProblems(manifest: ManifestLike): string[] {
  return hostPatterns(manifest)
    .filter(({ pattern }) => LOCAL_HOST.test(pattern))
    .map(({ where, pattern }) => `${where} contains the local host ${pattern}`);
}

/** Problems with an e2e manifest: it must grant and inject into http://127.0.0.1/*. */
export function e2eProblems(manifest: ManifestLike): string[] {
  const problems: string[] = [];
  if (!manifest.host_permissions?.includes('http://127.0.0.1/*')) {
    problems.push('host_permissions lacks http://127.0.0.1/*');
  }
  const scripts = manifest.content_scripts ?? [];
  if (scripts.length === 0) problems.push('has no content_scripts');
  scripts.forEach((script, i) => {
    if (!script.matches?.includes('http://127.0.0.1/*')) {
      problems.push(`content_scripts[${i}].matches lacks http://127.0.0.1/*`);
    }
  });
  return problems;
}

/**
 * Strings only the store (IndexedDB and its object stores) or the secrets
 * (their storage key, error names, the credential fields) would bring into a
 * bundle, and the test builds' switch for open shadow roots. The content
 * script runs in every CRM page: none may be in it.
 */
export const CONTENT_SCRIPT_FORBIDDEN: readonly [string, string][] = [
  ['indexedDB', 'the store'],
  ['contactFacts', 'the store'],
  ['factBuckets', 'the store'],
  ['syncState', 'the store'],
  ['contactCache', 'the store'],
  ['sender-lens-secrets', 'the secrets'],
  ['UntrustedContextError', 'the secrets'],
  ['SecretInputError', 'the secrets'],
  ['authToken', 'a credential field'],
  ['apiKeySecret', 'a credential field'],
  // Test builds may open their shadow roots on request; production must not know how.
  ['data-sender-lens-test-open-roots', 'the test builds’ open-roots switch'],
];

/** What a built content script holds that belongs only in the background. */
export function contentScriptProblems(code: string): string[] {
  return CONTENT_SCRIPT_FORBIDDEN.filter(([marker]) => code.includes(marker)).map(
    ([marker, what]) => `contains ${JSON.stringify(marker)}, from ${what}`,
  );
}

function readManifest(dir: string): ManifestLike {
  const path = join(dir, 'manifest.json');
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as ManifestLike;
  } catch (error) {
    throw new Error(`cannot read ${path} (${(error as Error).message}); build it first`);
  }
}

function main(): number {
  const output = resolve(fileURLToPath(new URL('..', import.meta.url)), '.output');
  const checks: [string, (m: ManifestLike) => string[]][] = [
    ['chrome-mv3', productionProblems],
    ['firefox-mv3', productionProblems],
    ['chrome-mv3-e2e', e2eProblems],
  ];
  let failed = 0;
  for (const [name, check] of checks) {
    const problems = check(readManifest(join(output, name)));
    if (problems.length === 0) {
      console.log(`ok   .output/${name}/manifest.json`);
    } else {
      failed += 1;
      for (const problem of problems)
        console.error(`FAIL .output/${name}/manifest.json: ${problem}`);
    }
  }
  for (const build of ['chrome-mv3', 'firefox-mv3']) {
    const dir = join(output, build, 'content-scripts');
    // The send action's views run in the content script's world too (scripting.executeScript).
    const files = [
      ...readdirSync(dir)
        .filter((f) => f.endsWith('.js'))
        .map((f) => `content-scripts/${f}`),
      'send-ui.js',
    ];
    for (const file of files) {
      const problems = contentScriptProblems(readFileSync(join(output, build, file), 'utf8'));
      if (problems.length === 0) console.log(`ok   .output/${build}/${file}`);
      failed += problems.length === 0 ? 0 : 1;
      for (const problem of problems) console.error(`FAIL .output/${build}/${file}: ${problem}`);
    }
  }
  return failed === 0 ? 0 : 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main();
}
