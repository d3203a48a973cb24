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
 * Set on a page's root element by the end-to-end driver, before the content
 * script starts, to ask an e2e or demo build for open roots: Playwright's
 * selectors cannot pierce closed ones. Production builds compare the build
 * mode with a literal and drop the check, so they always close.
 */
export const TEST_OPEN_ROOTS_ATTRIBUTE = 'data-sender-lens-test-open-roots';

/**
 * Closed, so the CRM page's scripts cannot read the badge, the tooltip or the
 * audit text (`host.shadowRoot` is null to them); open only where a test
 * build was asked to open them.
 */
export function shadowModeFor(doc: Document): ShadowRootMode {
  const testBuild = import.meta.env.MODE === 'e2e' || import.meta.env.MODE === 'demo';
  return testBuild && doc.documentElement.hasAttribute(TEST_OPEN_ROOTS_ATTRIBUTE)
    ? 'open'
    : 'closed';
}

// The content script's own way in; the page's scripts run in another world
// and never see this module.
const roots = new WeakMap<Element, ShadowRoot>();

/** The shadow root of a host made here, open or closed. */
export function shadowRootOf(host: Element): ShadowRoot | undefined {
  return roots.get(host);
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
  roots.set(host, root);
  const style = doc.createElement('style');
  style.textContent = css;
  const container = doc.createElement('div');
  container.style.display = 'contents';
  root.append(style, container);
  return { host, container };
}
