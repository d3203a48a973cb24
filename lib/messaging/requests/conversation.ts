/**
 * Requests of the conversations content script: the sender view of a
 * conversation, picks, "I am …", the audit of past messages, the page status.
 */
import type { Catalogue } from '../protocol';

export const conversationRequests = {} satisfies Catalogue;
