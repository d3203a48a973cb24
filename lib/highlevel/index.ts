/** The HighLevel API v2 client and its types; see ./client. */
export {
  type CredentialCheck,
  HIGHLEVEL_BASE_URL,
  HIGHLEVEL_VERSIONS,
  type HighLevelArea,
  HighLevelClient,
  type HighLevelClientOptions,
  type ListMessagesOptions,
} from './client';
export type { MessagesPage } from './parse';
export * from './types';
