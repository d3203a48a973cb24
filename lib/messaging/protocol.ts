/**
 * The catalogue: every request the extension's contexts send to its
 * background. The background refuses anything this catalogue does not allow.
 */

import type { Catalogue } from './request';
import { backupRequests } from './requests/backup';
import { conversationRequests } from './requests/conversation';
import { coreRequests } from './requests/core';
import { numbersRequests } from './requests/numbers';
import { sendRequests } from './requests/send';
import { settingsRequests } from './requests/settings';

export type {
  Catalogue,
  ErrorCode,
  PayloadOf,
  Reply,
  ReplyError,
  RequestMessage,
  RequestSpec,
  ResponseOf,
  SenderContext,
} from './request';
export type { ResolvePayload, ResolveResponse } from './requests/core';
export { coreRequests, sendSchema } from './requests/core';

/** The extension's requests, all answered by the background. */
export const requests = {
  ...coreRequests,
  ...settingsRequests,
  ...numbersRequests,
  ...conversationRequests,
  ...sendRequests,
  ...backupRequests,
} satisfies Catalogue;

export type Requests = typeof requests;
export type RequestType = keyof Requests;
