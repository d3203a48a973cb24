/**
 * Host elements for the extension's views. Each view lives in a shadow root
 * of its own, with the CSS text of components/styles.ts inside it, so the
 * CRM's styles and ours never mix.
 */

export interface ShadowMount {
  /** The element placed in the page. */
  host: HTMLElement;
  /** Where the view renders, inside the shadow root. */
  container: HTMLElement;
}

/**
 * Set on a page's root element by the end-to-end driver (or a unit test),
 * before the content script starts, to ask a test build (e2e, demo, vitest)
 * for open roots: Playwright's selectors cannot pierce closed ones.
 * Production builds compare the build mode with literals and drop the check,
 * so they always close.
 */
export const TEST_OPEN_ROOTS_ATTRIBUTE = 'data-sender-lens-test-open-roots';

/**
 * Closed, so the CRM page's scripts cannot read the badge, the tooltip or the
 * audit text (`host.shadowRoot` is null to them); open only where a test
 * build was asked to open them.
 */
export function shadowModeFor(doc: Document): ShadowRootMode {
  // Literal comparisons, so that production builds fold them away.
  const testBuild =
    import.meta.env.MODE === 'e2e' ||
    import.meta.env.MODE === 'demo' ||
    import.meta.env.MODE === 'test';
  return testBuild && doc.documentElement.hasAttribute(TEST_OPEN_ROOTS_ATTRIBUTE)
    ? 'open'
    : 'closed';
}

/**
 * Creates a host element (a custom tag, so no page rule aimed at a div or
 * span reaches it) with a shadow root holding `css` and a container.
 */
export function createShadowMount(
  doc: Document,
  tag: string,
  css: string,
  hostStyle: string,
  mode: ShadowRootMode = shadowModeFor(doc),
): ShadowMount {
  const host = doc.createElement(tag);
  host.setAttribute('style', hostStyle);
  const root = host.attachShadow({ mode });
  const style = doc.createElement('style');
  style.textContent = css;
  const container = doc.createElement('div');
  container.style.display = 'contents';
  root.append(style, container);
  return { host, container };
}
