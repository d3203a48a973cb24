/**
 * The send action's views are loaded only when an agent first needs them
 * (the composer focused, or sends to draw), so the content script every CRM
 * page loads stays small. The background runs the send-ui script in the
 * content script's own isolated world (the page cannot see it), which leaves
 * its renderers under this global name.
 */
import type { SendActionProps } from '@/components/SendAction';
import type { SentRowsProps } from '@/components/SentRows';

/** Where the send-ui script leaves its renderers, in the isolated world. */
export const SEND_UI_GLOBAL = '__senderLensSendUi';

export interface SendUi {
  css: string;
  renderAction(container: Element, props: SendActionProps | null): void;
  renderRows(container: Element, props: SentRowsProps | null): void;
}

/** The renderers, asking the background to run the send-ui script the first time. */
export async function loadSendUi(ask: () => Promise<unknown>): Promise<SendUi> {
  const loaded = loadedSendUi();
  if (loaded) return loaded;
  await ask();
  const ui = loadedSendUi();
  if (!ui) throw new Error('The send action did not load.');
  return ui;
}

/** The renderers the send-ui script left, or null before it ran. */
export function loadedSendUi(): SendUi | null {
  const ui = (globalThis as Record<string, unknown>)[SEND_UI_GLOBAL];
  return ui && typeof ui === 'object' ? (ui as SendUi) : null;
}
