/**
 * "I am …": who the agent said they are, per sub-account, for pages that do
 * not tell who is logged in. Kept in storage.local (nothing secret).
 */
import type { browser } from 'wxt/browser';

/** storage.local key of the "I am …" choices, by location. */
export const CHOSEN_USERS_KEY = 'sender-lens:chosen-users';

/** The chosen user per location id. */
export async function readChosenUsers(
  local: Pick<typeof browser.storage.local, 'get'>,
): Promise<Record<string, string>> {
  const stored = (await local.get(CHOSEN_USERS_KEY))[CHOSEN_USERS_KEY];
  return stored && typeof stored === 'object' ? (stored as Record<string, string>) : {};
}
