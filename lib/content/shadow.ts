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
 * Creates a host element (a custom tag, so no page rule aimed at a div or
 * span reaches it) with an open shadow root holding `css` and a container.
 * Open so end-to-end tests and assistive tech can see in; nothing secret is
 * ever rendered.
 */
export function createShadowMount(
  doc: Document,
  tag: string,
  css: string,
  hostStyle: string,
): ShadowMount {
  const host = doc.createElement(tag);
  host.setAttribute('style', hostStyle);
  const root = host.attachShadow({ mode: 'open' });
  const style = doc.createElement('style');
  style.textContent = css;
  const container = doc.createElement('div');
  container.style.display = 'contents';
  root.append(style, container);
  return { host, container };
}
