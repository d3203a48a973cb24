/**
 * HighLevel's Conversations route:
 * `/v2/location/{locationId}/conversations/conversations/{conversationId}`,
 * on any host (agencies run the app on their own white-label domains).
 */

export interface ConversationRoute {
  locationId: string;
  /** Null on the list page before a conversation is opened. */
  conversationId: string | null;
}

const ROUTE = /^\/v2\/location\/([^/]+)\/conversations\/conversations(?:\/([^/]+))?\/*$/;

// HighLevel ids are short alphanumerics; the bound and alphabet keep anything
// odd in the address bar from travelling further as an id.
const ID = /^[A-Za-z0-9_-]{1,128}$/;

function decodeId(segment: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    return null;
  }
  return ID.test(decoded) ? decoded : null;
}

/** Reads location and conversation ids from a page address; null if it is not the Conversations route. */
export function parseRoute(url: string | URL): ConversationRoute | null {
  let parsed: URL;
  try {
    parsed = typeof url === 'string' ? new URL(url) : url;
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null;
  const match = ROUTE.exec(parsed.pathname);
  if (!match) return null;
  const locationId = decodeId(match[1] as string);
  if (!locationId) return null;
  if (match[2] === undefined) return { locationId, conversationId: null };
  const conversationId = decodeId(match[2]);
  return conversationId ? { locationId, conversationId } : null;
}
