/**
 * Requests of the options page to export, import and reset the settings.
 * Extension pages only. An export never carries a secret, not even masked:
 * the file says which secrets it leaves out, and an import never touches them.
 */
import type { Catalogue, RequestSpec } from '../request';
import { literal, object, type Schema } from '../schema';
import type { SendRoute } from '../send-views';

/** What the file calls itself, so another JSON file is refused by name. */
export const SETTINGS_FORMAT = 'sender-lens-settings';
export const SETTINGS_VERSION = 1;

/** The secrets an export leaves out, as the file lists them. */
export const SECRETS_LEFT_OUT = ['Twilio credentials', 'HighLevel tokens'] as const;

/** What the page must send to reset: typed by the admin, so no click alone deletes everything. */
export const RESET_CONFIRMATION = 'delete everything';

/** A sub-account's settings as the file holds them. */
export interface ExportedSubAccount {
  locationId: string;
  name?: string;
  country: string;
  selectedForSync: boolean;
  /** The Twilio subaccount it uses; absent: the main account. Not a secret. */
  twilioAccountSid?: string;
  lcPhone?: boolean;
}

/** The settings file: everything an admin set, and no secret. */
export interface SettingsDocument {
  format: typeof SETTINGS_FORMAT;
  version: typeof SETTINGS_VERSION;
  exportedAt: string;
  subAccounts: ExportedSubAccount[];
  send: { omitBodies: boolean; routes: Record<string, SendRoute> };
  /** "I am …" per location id. */
  chosenUsers: Record<string, string>;
  /** Origins, e.g. `https://app.myagency.com`. */
  whiteLabelDomains: string[];
  secretsLeftOut: string[];
}

/** What an import changed, in words, and what it could not do by itself. */
export interface ImportResult {
  /** One line per change, e.g. "Sunrise Dental (loc-1): added". */
  applied: string[];
  /** White-label domains in the file without access yet: the admin adds them (a permission needs a click). */
  needsPermission: string[];
  /** Secrets the file did not carry, to be entered again. */
  secretsLeftOut: string[];
}

/** What a reset deleted, in words. */
export interface ResetResult {
  deleted: string[];
}

/**
 * Any value: the handler reads the document itself, so its errors name the
 * file's own fields (`subAccounts[2].country`) rather than the payload's.
 */
const anyValue: Schema<unknown> = {
  read(input) {
    return { ok: true, value: input };
  },
};

function pageRequest<R>() {
  return <P>(payload: Schema<P>): RequestSpec<P, R> => ({
    from: ['extension-page'],
    frames: 'top',
    payload,
  });
}

export const backupRequests = {
  /** The settings file: sub-accounts, send settings, "I am …" choices, white-label domains. */
  'settings-export': pageRequest<SettingsDocument>()(object({}, 'this request')),
  /** Checks the whole file, then applies it; secrets are left as they are. */
  'settings-import': pageRequest<ImportResult>()(
    object({ document: anyValue }, 'a settings import'),
  ),
  /** Deletes everything the extension stored. */
  'settings-reset': pageRequest<ResetResult>()(
    object({ confirm: literal(RESET_CONFIRMATION) }, 'a reset'),
  ),
} satisfies Catalogue;

export type BackupRequests = typeof backupRequests;
