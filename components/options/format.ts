/**
 * Words and numbers the options page and popup show: how long ago, how far a
 * sync got, what is saved. Pure, so the views stay simple and the tests can
 * pin the wording.
 */

import type { SyncView, TwilioSecretView } from '../../lib/messaging/requests/settings';
import type { SyncProgress } from '../../lib/messaging/views';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** 12000 → "12,000"; the page is in English, so the grouping is too. */
export function count(value: number): string {
  return value.toLocaleString('en-US');
}

/** "just now", "3 min ago", "2 h ago", "yesterday", "4 days ago", or a date. */
export function timeAgo(iso: string, now: number): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return 'at an unknown time';
  const ago = now - at;
  if (ago < 45_000) return 'just now';
  if (ago < 45 * MINUTE) return `${Math.max(1, Math.round(ago / MINUTE))} min ago`;
  if (ago < 22 * HOUR) return `${Math.max(1, Math.round(ago / HOUR))} h ago`;
  if (ago < 2 * DAY) return 'yesterday';
  if (ago < 7 * DAY) return `${Math.floor(ago / DAY)} days ago`;
  return `on ${new Date(at).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' })}`;
}

/** The full date and time, for a title or a screen reader. */
export function exactTime(iso: string): string {
  const at = Date.parse(iso);
  return Number.isNaN(at) ? iso : new Date(at).toLocaleString('en-GB');
}

/** "Page 12 of 40 · 12,000 messages", or what the sync is doing before the messages. */
export function progressText(progress: SyncProgress | null): string {
  if (progress === null) return 'Starting…';
  switch (progress.phase) {
    case 'numbers':
      return progress.items > 0
        ? `Reading numbers · ${count(progress.items)} so far`
        : 'Reading numbers…';
    case 'staff':
      return progress.items > 0
        ? `Reading staff · ${count(progress.items)} so far`
        : 'Reading staff…';
    case 'messages': {
      const page =
        progress.pagesTotal === null
          ? `Page ${count(progress.pages)}`
          : `Page ${count(progress.pages)} of ${count(progress.pagesTotal)}`;
      return `${page} · ${count(progress.items)} ${progress.items === 1 ? 'message' : 'messages'}`;
    }
    case 'committing':
      return progress.itemsTotal === null || progress.itemsTotal === 0
        ? 'Saving what was read…'
        : `Saving contacts · ${count(progress.items)} of ${count(progress.itemsTotal)}`;
  }
}

/** Value and maximum for a <progress>, or null for an indeterminate one. */
export function progressValue(
  progress: SyncProgress | null,
): { value: number; max: number } | null {
  if (progress === null) return null;
  if (progress.pagesTotal !== null && progress.pagesTotal > 0) {
    return { value: Math.min(progress.pages, progress.pagesTotal), max: progress.pagesTotal };
  }
  if (progress.itemsTotal !== null && progress.itemsTotal > 0) {
    return { value: Math.min(progress.items, progress.itemsTotal), max: progress.itemsTotal };
  }
  return null;
}

/** One line on a sub-account's sync: running, when it last finished, or never. */
export function syncLine(sync: SyncView, now: number): string {
  if (sync.running) return `Syncing: ${progressText(sync.progress)}`;
  if (sync.lastSuccessAt !== null) return `Synced ${timeAgo(sync.lastSuccessAt, now)}`;
  return 'Never synced';
}

/** "Saved: AC…4f2a, token ••••1234" or with the API key. */
export function twilioSavedText(twilio: TwilioSecretView): string {
  return twilio.kind === 'auth-token'
    ? `Saved: ${twilio.accountSid}, token ${twilio.secret}`
    : `Saved: ${twilio.accountSid}, API key ${twilio.apiKeySid ?? '…'}, secret ${twilio.secret}`;
}

/** "expected 32 characters" → "Expected 32 characters." */
export function sentence(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') return trimmed;
  const first = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?…]$/.test(first) ? first : `${first}.`;
}

/** An api rejection in words: its message when it is an Error (safe to show), else a general sentence. */
export function failureText(error: unknown): string {
  return error instanceof Error && error.message.trim() !== ''
    ? error.message
    : 'Something went wrong; try again.';
}
