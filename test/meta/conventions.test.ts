import { describe, expect, it } from 'vitest';
import {
  declaredSelectors,
  importCircles,
  importsOf,
  layerViolations,
  longLibFiles,
  readSources,
  selectorLeaks,
} from './conventions';

const ROOT = new URL('../..', import.meta.url).pathname;
const tree = readSources(ROOT, ['lib', 'components', 'entrypoints']);
const tiny = (files: Record<string, string>) => new Map(Object.entries(files));

describe('the project follows its layers', () => {
  it('has no import against the layers', () => {
    expect(layerViolations(tree)).toEqual([]);
  });

  it('has no import circle', () => {
    expect(importCircles(tree)).toEqual([]);
  });

  it('has no lib/ file over 600 lines', () => {
    expect(longLibFiles(tree)).toEqual([]);
  });

  it("spells HighLevel's selectors only in lib/page", () => {
    const selectors = declaredSelectors(tree.get('lib/page/selectors.ts') ?? '');
    expect(selectors.length).toBeGreaterThan(20);
    expect(selectorLeaks(tree, selectors)).toEqual([]);
  });

  it('reads the real tree, imports included (the checks above are not vacuous)', () => {
    expect(tree.size).toBeGreaterThan(80);
    expect(importsOf('entrypoints/conversations.content/index.ts', tree)).toContain(
      'entrypoints/conversations.content/conversations.ts',
    );
    expect(importsOf('lib/background/resolve.ts', tree)).toContain('lib/rules/index.ts');
  });
});

describe('each check can fail', () => {
  it('catches lib importing a component, and a component reaching the store', () => {
    const files = tiny({
      'lib/content/a.ts': "import { X } from '../../components/X';",
      'components/X.tsx': "import { openStore } from '@/lib/store';",
      'lib/store/index.ts': '',
    });
    expect(layerViolations(files)).toEqual([
      'lib/content/a.ts -> components/X.tsx: lib knows no UI and no entry point',
      'components/X.tsx -> lib/store/index.ts: components are views',
    ]);
  });

  it('catches the protocol, the resolver, page facts, the store and the content script reaching up', () => {
    const files = tiny({
      'lib/messaging/p.ts': "import '../store/s';",
      'lib/rules/r.ts': "import type { T } from '../page/q';",
      'lib/page/q.ts': "export * from '../messaging/p';",
      'lib/store/s.ts': "const m = await import('../sync/y');",
      'lib/sync/y.ts': '',
      'lib/content/c.ts': "import { k } from '../secrets/k';",
      'lib/secrets/k.ts': '',
    });
    expect(layerViolations(files).map((line) => line.split(': ')[1])).toEqual([
      'the protocol imports only itself, rules and page facts',
      'the resolver is pure',
      'page facts stand alone',
      'the store knows no sync, background, content, messaging or clients',
      'the content script reaches the background only by messages',
    ]);
  });

  it('allows what the layers allow', () => {
    const files = tiny({
      'lib/messaging/p.ts': "import { E164 } from '../rules/formats';\nimport '../hosts';",
      'lib/rules/formats.ts': '',
      'lib/hosts.ts': '',
      'components/X.tsx': "import type { V } from '../lib/messaging/p';",
    });
    expect(layerViolations(files)).toEqual([]);
  });

  it('catches a circle of two and of three files', () => {
    const files = tiny({
      'lib/a/x.ts': "import './y';",
      'lib/a/y.ts': "import './x';",
      'lib/b/p.ts': "import './q';",
      'lib/b/q.ts': "import './r';",
      'lib/b/r.ts': "import './p';",
    });
    expect(importCircles(files)).toEqual([
      ['lib/a/x.ts', 'lib/a/y.ts'],
      ['lib/b/p.ts', 'lib/b/q.ts', 'lib/b/r.ts'],
    ]);
  });

  it('catches a long lib/ file and not a long component', () => {
    const long = 'x\n'.repeat(700);
    expect(longLibFiles(tiny({ 'lib/a/long.ts': long, 'components/Long.tsx': long }))).toEqual([
      'lib/a/long.ts (701)',
    ]);
  });

  it('catches a HighLevel selector spelt outside lib/page', () => {
    const selectors = declaredSelectors(
      "export const S = { send: ['#conv-send-button-simple'], row: ['[data-index]'] };",
    );
    expect(selectors).toEqual(['#conv-send-button-simple', '[data-index]', 'data-index']);
    const files = tiny({
      'lib/page/selectors.ts': "['#conv-send-button-simple']",
      'entrypoints/x.ts': "document.querySelector('#conv-send-button-simple');",
      'lib/content/y.ts': "observe(doc, { attributeFilter: ['data-index'] });",
    });
    expect(selectorLeaks(files, selectors)).toEqual([
      'entrypoints/x.ts: #conv-send-button-simple',
      'lib/content/y.ts: data-index',
    ]);
  });
});
