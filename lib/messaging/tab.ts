/**
 * What the background and the conversations content script tell each other
 * outside the request catalogue. Kept free of imports so the content script
 * can use it without pulling the catalogue's schemas into its bundle.
 */

/** Most message ids one `audit` request may ask about: a few screens of rows. */
export const MAX_AUDIT_IDS = 200;

/** Messages the background sends to a tab's content script; nothing answers them. */
export type TabMessage =
  | { type: 'open-switcher' }
  /** Synced data or a pick of this sub-account changed: ask for the sender again. */
  | { type: 'data-changed'; locationId: string }
  /** A send of this conversation changed: ask for its sends again. */
  | { type: 'sends-changed'; locationId: string; conversationId: string };

/** Reads a message the content script received; null for anything that is not a TabMessage. */
export function readTabMessage(message: unknown): TabMessage | null {
  if (typeof message !== 'object' || message === null) return null;
  const { type, locationId, conversationId } = message as Record<string, unknown>;
  if (type === 'open-switcher') return { type };
  if (
    type === 'sends-changed' &&
    typeof locationId === 'string' &&
    locationId.length <= 128 &&
    typeof conversationId === 'string' &&
    conversationId.length <= 128
  ) {
    return { type, locationId, conversationId };
  }
  if (type === 'data-changed' && typeof locationId === 'string' && locationId.length <= 128) {
    return { type, locationId };
  }
  return null;
}
