/**
 * The send action's views, run by the background in a conversation tab's
 * isolated world on first need (see conversations.content/send-ui.ts).
 */
import { h, render } from 'preact';
import { SendAction } from '@/components/SendAction';
import { SentRows } from '@/components/SentRows';
import { SEND_CSS } from '@/components/styles';
import { SEND_UI_GLOBAL, type SendUi } from './conversations.content/send-ui';

export default defineUnlistedScript(() => {
  const ui: SendUi = {
    css: SEND_CSS,
    renderAction: (container, props) => render(props && h(SendAction, props), container),
    renderRows: (container, props) => render(props && h(SentRows, props), container),
  };
  (globalThis as Record<string, unknown>)[SEND_UI_GLOBAL] = ui;
});
