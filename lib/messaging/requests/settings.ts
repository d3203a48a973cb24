/**
 * Requests of the extension's own pages (options, popup) about credentials,
 * sub-accounts, white-label domains and sync. Extension pages only.
 */
import type { Catalogue } from '../protocol';

export const settingsRequests = {} satisfies Catalogue;
