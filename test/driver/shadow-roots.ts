// The extension's shadow roots are closed, and Playwright's locators cannot pierce a closed
// root any more than the page can. Two ways in: asking a test build for open roots (every
// page the driver opens), and reading a closed root over the DevTools protocol.
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import { TEST_OPEN_ROOTS_ATTRIBUTE } from '../../lib/content/shadow';

/** In a URL's hash, keeps that page's roots closed, as production draws them. */
export const CLOSED_ROOTS_HASH = 'sender-lens-closed-roots';

/**
 * Asks an e2e or demo build for open roots on every document the context loads, except
 * one whose address carries CLOSED_ROOTS_HASH. Production builds ignore the request.
 */
export async function openShadowRootsForTests(context: BrowserContext): Promise<void> {
  // A string, not a function: tsx rewrites functions with helpers the page lacks.
  await context.addInitScript(`(() => {
    if (location.hash.includes(${JSON.stringify(CLOSED_ROOTS_HASH)})) return;
    const mark = () => document.documentElement.setAttribute(${JSON.stringify(TEST_OPEN_ROOTS_ATTRIBUTE)}, '');
    if (document.documentElement) mark();
    else document.addEventListener('readystatechange', mark, { once: true });
  })()`);
}

interface CdpNode {
  backendNodeId: number;
  localName?: string;
  children?: CdpNode[];
  shadowRoots?: (CdpNode & { shadowRootType?: 'open' | 'closed' | 'user-agent' })[];
  contentDocument?: CdpNode;
}

export interface ClosedRoot {
  /** 'closed' for the extension's hosts, as the browser reports it. */
  mode: string;
  /**
   * Runs `functionDeclaration` (called with the shadow root as `this`) in the page's main
   * world and returns its JSON value: what a page script holding the root could do.
   */
  call<T>(functionDeclaration: string, ...args: unknown[]): Promise<T>;
}

function findHost(node: CdpNode, tag: string): CdpNode | undefined {
  if (node.localName === tag) return node;
  for (const child of [...(node.children ?? []), ...(node.shadowRoots ?? [])]) {
    const found = findHost(child, tag);
    if (found) return found;
  }
  return node.contentDocument ? findHost(node.contentDocument, tag) : undefined;
}

/** The shadow root of the first `tag` element, read over CDP (which sees closed roots), or null. */
export async function closedShadowRoot(cdp: CDPSession, tag: string): Promise<ClosedRoot | null> {
  const { root } = (await cdp.send('DOM.getDocument', { depth: -1, pierce: true })) as {
    root: CdpNode;
  };
  const shadow = findHost(root, tag)?.shadowRoots?.[0];
  if (!shadow) return null;
  const { object } = (await cdp.send('DOM.resolveNode', {
    backendNodeId: shadow.backendNodeId,
  })) as { object: { objectId?: string } };
  const objectId = object.objectId;
  if (!objectId) return null;
  return {
    mode: shadow.shadowRootType ?? 'unknown',
    async call<T>(functionDeclaration: string, ...args: unknown[]) {
      const { result, exceptionDetails } = (await cdp.send('Runtime.callFunctionOn', {
        objectId,
        functionDeclaration,
        arguments: args.map((value) => ({ value })),
        returnByValue: true,
        awaitPromise: true,
      })) as { result: { value?: unknown }; exceptionDetails?: { text: string } };
      if (exceptionDetails) throw new Error(`In the shadow root: ${exceptionDetails.text}`);
      return result.value as T;
    },
  };
}

/** A CDP session on `page`, for closedShadowRoot. */
export function cdpOf(page: Page): Promise<CDPSession> {
  return page.context().newCDPSession(page);
}
