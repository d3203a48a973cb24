import type { sendRequest } from '../messaging/client';

/** How the content script asks the background: `sendRequest`, or a fake in tests. */
export type ContentApi = typeof sendRequest;
