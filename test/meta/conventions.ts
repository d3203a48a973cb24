/**
 * The project's conventions as code (ARCHITECTURE.md, "Layers"): which part
 * may import which, no circles, no long lib/ files, HighLevel's selectors
 * only in lib/page. Pure functions over a map of path -> source text, so each
 * rule can be shown to fail on a small made-up tree.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';

export type Sources = ReadonlyMap<string, string>;

const SOURCE = /\.(ts|tsx)$/;

/** Every .ts/.tsx file under `folders` of `root`, by project-relative path. */
export function readSources(root: string, folders: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (rel: string) => {
    for (const name of readdirSync(join(root, rel))) {
      const path = posix.join(rel, name);
      if (statSync(join(root, path)).isDirectory()) visit(path);
      else if (SOURCE.test(name) && !name.endsWith('.d.ts'))
        out.set(path, readFileSync(join(root, path), 'utf8'));
    }
  };
  for (const folder of folders) visit(folder);
  return out;
}

const SPECIFIER =
  /\b(?:import|export)\b[^'"]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\s*(?:\(\s*)?['"]([^'"]+)['"]/g;

/** The project files `path` imports, resolved like TypeScript does for our two forms ('./x', '@/x'). */
export function importsOf(path: string, sources: Sources): string[] {
  const found = new Set<string>();
  for (const match of (sources.get(path) ?? '').matchAll(SPECIFIER)) {
    const spec = match[1] ?? match[2] ?? '';
    let base: string;
    if (spec.startsWith('@/')) base = spec.slice(2);
    else if (spec.startsWith('.')) base = posix.normalize(posix.join(posix.dirname(path), spec));
    else continue;
    const target = [
      base,
      `${base}.ts`,
      `${base}.tsx`,
      `${base}/index.ts`,
      `${base}/index.tsx`,
    ].find((candidate) => sources.has(candidate));
    if (target !== undefined && target !== path) found.add(target);
  }
  return [...found];
}

/** The part of the project a file belongs to: lib/<module>, components or entrypoints. */
export function partOf(path: string): string {
  const [top, second, third] = path.split('/');
  if (top === 'lib') return third === undefined ? path : `lib/${second}`;
  return top ?? path;
}

const CLIENTS = ['lib/twilio', 'lib/highlevel', 'lib/http'];

/** [rule, applies to the importing part, forbids the imported part]. */
export const LAYER_RULES: readonly [string, (from: string) => boolean, (to: string) => boolean][] =
  [
    [
      'lib knows no UI and no entry point',
      (a) => a.startsWith('lib'),
      (b) => b === 'components' || b === 'entrypoints',
    ],
    [
      'components are views',
      (a) => a === 'components',
      (b) =>
        [
          'entrypoints',
          'lib/background',
          'lib/store',
          'lib/sync',
          'lib/secrets',
          ...CLIENTS,
        ].includes(b),
    ],
    [
      'the protocol imports only itself, rules and page facts',
      (a) => a === 'lib/messaging',
      (b) => b.startsWith('lib/') && !['lib/rules', 'lib/page', 'lib/hosts.ts'].includes(b),
    ],
    ['the resolver is pure', (a) => a === 'lib/rules', () => true],
    ['page facts stand alone', (a) => a === 'lib/page', (b) => b !== 'lib/hosts.ts'],
    [
      'the store knows no sync, background, content, messaging or clients',
      (a) => a === 'lib/store',
      (b) =>
        [
          'lib/sync',
          'lib/background',
          'lib/content',
          'lib/messaging',
          'lib/twilio',
          'lib/highlevel',
        ].includes(b),
    ],
    [
      'the content script reaches the background only by messages',
      (a) => a === 'lib/content',
      (b) => ['lib/secrets', 'lib/store', 'lib/sync', 'lib/background', ...CLIENTS].includes(b),
    ],
  ];

/** Imports against LAYER_RULES, as "from -> to: rule". */
export function layerViolations(sources: Sources): string[] {
  const out: string[] = [];
  for (const from of sources.keys()) {
    for (const to of importsOf(from, sources)) {
      const [a, b] = [partOf(from), partOf(to)];
      if (a === b) continue;
      for (const [rule, applies, forbids] of LAYER_RULES) {
        if (applies(a) && forbids(b)) out.push(`${from} -> ${to}: ${rule}`);
      }
    }
  }
  return out;
}

/** Import circles, each as its files sorted (depth-first search with a path stack). */
export function importCircles(sources: Sources): string[][] {
  const done = new Set<string>();
  const circles = new Map<string, string[]>();
  const onPath: string[] = [];
  const visit = (file: string) => {
    const at = onPath.indexOf(file);
    if (at >= 0) {
      const circle = onPath.slice(at).sort();
      circles.set(circle.join(' '), circle);
      return;
    }
    if (done.has(file)) return;
    onPath.push(file);
    for (const next of importsOf(file, sources)) visit(next);
    onPath.pop();
    done.add(file);
  };
  for (const file of sources.keys()) visit(file);
  return [...circles.values()];
}

/** lib/ files longer than `max` lines, with their length. */
export function longLibFiles(sources: Sources, max = 600): string[] {
  return [...sources]
    .filter(([path, text]) => path.startsWith('lib/') && text.split('\n').length > max)
    .map(([path, text]) => `${path} (${text.split('\n').length})`);
}

/**
 * The selector strings lib/page/selectors.ts declares (quoted literals that
 * look like CSS), and the `data-*` attribute names inside them, which are
 * HighLevel's too.
 */
export function declaredSelectors(selectorsSource: string): string[] {
  const found = new Set<string>();
  for (const [, literal] of selectorsSource.matchAll(/'([^'\n]+)'/g)) {
    if (literal === undefined || !/^[#.[]/.test(literal)) continue;
    found.add(literal);
    for (const [attribute] of literal.matchAll(/data-[a-z-]+/g)) found.add(attribute);
  }
  return [...found];
}

/** Files outside lib/page that spell one of HighLevel's selectors, as "file: selector". */
export function selectorLeaks(sources: Sources, selectors: readonly string[]): string[] {
  const out: string[] = [];
  for (const [path, text] of sources) {
    if (path.startsWith('lib/page/')) continue;
    for (const selector of selectors) {
      if (text.includes(`'${selector}'`) || text.includes(`"${selector}"`)) {
        out.push(`${path}: ${selector}`);
      }
    }
  }
  return out;
}
