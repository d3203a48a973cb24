/**
 * Requests of the extension's own pages (options, popup) about credentials,
 * sub-accounts, white-label domains and sync. Extension pages only: a content
 * script may never save, read or check a credential.
 *
 * Secrets travel one way, page → background. No answer carries one back:
 * saved credentials come back only as masks (`AC…4f2a`, `••••1234`), and no
 * schema message quotes the value it refused.
 */

import { HIGHLEVEL_APP_HOSTS } from '../../hosts';
import type { Catalogue, RequestSpec } from '../request';
import {
  boolean,
  type Infer,
  literal,
  object,
  oneOf,
  optional,
  type Schema,
  string,
  variants,
} from '../schema';
import type { SyncProgress } from '../views';

/**
 * A trimmed string matching `pattern`; `message` says what was expected and
 * never quotes the input, which may be a secret.
 */
function matching(pattern: RegExp, message: string, maxLength = 4096): Schema<string> {
  const base = string({ maxLength });
  return {
    read(input, path) {
      const read = base.read(input, path);
      if (!read.ok) return read;
      const value = read.value.trim();
      if (value === '') return { ok: false, issue: { path, message: 'must not be empty' } };
      return pattern.test(value) ? { ok: true, value } : { ok: false, issue: { path, message } };
    },
  };
}

const accountSid = matching(
  /^AC[0-9a-fA-F]{32}$/,
  'expected "AC" followed by 32 hexadecimal characters, as shown in the Twilio Console',
);
const apiKeySid = matching(
  /^SK[0-9a-fA-F]{32}$/,
  'expected "SK" followed by 32 hexadecimal characters, as shown when the API key was created',
);
const authToken = matching(
  /^[0-9a-fA-F]{32}$/,
  'expected 32 hexadecimal characters (the Auth Token, not the Account SID)',
);
// Printable ASCII without spaces: what the REST clients put in a header.
const TOKENISH = /^[\x21-\x7e]{16,4096}$/;
const apiKeySecret = matching(TOKENISH, 'expected at least 16 characters and no spaces');
const highLevelToken = matching(
  TOKENISH,
  'expected the Private Integration token: at least 16 characters and no spaces',
);

/** HighLevel location ids as the API client accepts them in a path. */
export const LOCATION_ID = /^[A-Za-z0-9_-]{1,64}$/;

const locationId = matching(
  LOCATION_ID,
  'expected a HighLevel location id: letters, digits, "-" and "_" (it follows /location/ in the address bar)',
  64,
);

const empty = object({}, 'this request');

/** What a Twilio save carries: an Auth Token, or an API key with its secret. */
export const twilioSavePayload = variants('kind', {
  'auth-token': object(
    { kind: literal('auth-token'), accountSid, authToken },
    'Twilio Auth Token credentials',
  ),
  'api-key': object(
    { kind: literal('api-key'), accountSid, apiKeySid, apiKeySecret },
    'Twilio API key credentials',
  ),
});

export type TwilioSavePayload = Infer<typeof twilioSavePayload>;

export const highLevelSavePayload = object(
  {
    locationId,
    token: highLevelToken,
    /** Save as the agency's token, used by every sub-account without its own. */
    agency: optional(boolean()),
  },
  'a HighLevel token',
);

export type HighLevelSavePayload = Infer<typeof highLevelSavePayload>;

/** A sub-account's Twilio account: a subaccount's SID, or none for the main account. */
export const twilioAccountSetPayload = object(
  { locationId, accountSid: optional(accountSid) },
  'a Twilio account choice',
);

export type TwilioAccountSetPayload = Infer<typeof twilioAccountSetPayload>;

export const locationSetPayload = object(
  {
    locationId,
    selectedForSync: optional(boolean()),
    name: optional(string({ maxLength: 100 })),
    country: optional(matching(/^[A-Za-z]{2}$/, 'expected a two-letter country code, e.g. US', 2)),
    /** On LC Phone, HighLevel's own phone system, rather than the agency's Twilio. */
    lcPhone: optional(boolean()),
  },
  'sub-account settings',
);

/** Masked hints of the saved Twilio credentials. */
export interface TwilioSecretView {
  kind: 'auth-token' | 'api-key';
  /** e.g. `AC…4f2a`. */
  accountSid: string;
  apiKeySid?: string;
  /** e.g. `••••1234`. */
  secret: string;
  savedAt: string;
}

/** A saved HighLevel token, masked. */
export interface TokenView {
  /** `location`: the sub-account's own token; `agency`: the agency's, used as a fallback. */
  scope: 'location' | 'agency';
  hint: string;
  savedAt: string;
}

/** Where a sub-account's sync stands, as the options page shows it. */
export interface SyncView {
  running: boolean;
  progress: SyncProgress | null;
  lastSuccessAt: string | null;
  /** Only an error newer than the last success; older ones no longer apply. */
  lastError: { message: string; at: string } | null;
  lastSync: {
    kind: 'full' | 'incremental';
    startedAt: string;
    finishedAt: string;
    messages: number;
    contacts: number;
  } | null;
  /** A sync started and never finished (the worker stopped); the next one starts over. */
  interrupted: boolean;
}

/** A sub-account as the options page lists it. */
export interface LocationView {
  locationId: string;
  name?: string;
  country: string;
  selectedForSync: boolean;
  /** A full sync has committed. */
  hasData: boolean;
  /** The token sync would use: its own, else the agency's; null when there is none. */
  token: TokenView | null;
  /** The Twilio subaccount it reads and sends through; absent: the main account. */
  twilioAccountSid?: string;
  /** Why the saved Twilio credentials cannot reach that account, in words; absent when they can. */
  twilioProblem?: string;
  /** The Twilio account changed since the last sync: the next one reads everything again. */
  fullSyncDue?: true;
  /** On LC Phone: synced from HighLevel alone, so some facts are missing (see `LC_PHONE_MISSING`). */
  lcPhone?: true;
  sync: SyncView;
}

/** A Twilio account a sub-account may use: the main account or one of its subaccounts. */
export interface TwilioAccountView {
  /** `AC…`, in full: an account SID is not a secret. */
  sid: string;
  friendlyName: string | null;
  /** `active`, `suspended` or `closed`. */
  status: string;
  /** The account of the saved credentials itself. */
  main: boolean;
}

/** A white-label domain and whether the conversations script runs there. */
export interface HostView {
  origin: string;
  /** The browser still grants the extension access to it. */
  granted: boolean;
  /** The conversations content script is registered for it. */
  registered: boolean;
}

/** Everything the options page shows. */
export interface SettingsView {
  twilio: TwilioSecretView | null;
  agencyToken: Omit<TokenView, 'scope'> | null;
  locations: LocationView[];
  /** null when this browser cannot register scripts at run time. */
  hosts: HostView[] | null;
  /** Test and demo builds also accept loopback http:// domains. */
  testMode: boolean;
}

/** The result of one provider check, in a sentence. */
export interface CheckLine {
  ok: boolean;
  message: string;
}

export interface TwilioCheck extends CheckLine {
  numbers?: number;
  smsNumbers?: number;
}

export interface HighLevelCheck extends CheckLine {
  locationId: string;
  name?: string;
  numbers?: number;
  staff?: number;
}

/** The check of a sub-account's Twilio subaccount. */
export interface TwilioAccountCheck extends TwilioCheck {
  locationId: string;
  name?: string;
  accountSid: string;
}

export interface CredentialsCheck {
  /** The account of the saved credentials. */
  twilio: TwilioCheck;
  /** Each sub-account that uses a Twilio subaccount; absent or empty when none does. */
  twilioSubaccounts?: TwilioAccountCheck[];
  highLevel: HighLevelCheck[];
}

/** A request only extension pages may send, answering `R`. */
function pageRequest<R>() {
  return <P>(payload: Schema<P>): RequestSpec<P, R> => ({
    from: ['extension-page'],
    frames: 'top',
    payload,
  });
}

const removalPayload = variants('provider', {
  twilio: object({ provider: literal('twilio') }, 'a Twilio removal'),
  highlevel: object(
    {
      provider: literal('highlevel'),
      scope: matching(/^(agency|[A-Za-z0-9_-]{1,64})$/, 'expected "agency" or a location id', 64),
    },
    'a HighLevel removal',
  ),
});

const originPayload = object({ origin: string({ maxLength: 300 }) }, 'a white-label domain');

export const settingsRequests = {
  /** Masked secrets, sub-accounts with their sync state, white-label domains. */
  'settings-get': pageRequest<SettingsView>()(empty),
  /** Saves the Twilio credentials, replacing any saved before. */
  'twilio-save': pageRequest<SettingsView>()(twilioSavePayload),
  /** The main Twilio account and its subaccounts, main first, to choose a sub-account's from. */
  'twilio-accounts': pageRequest<TwilioAccountView[]>()(empty),
  /** Sets the Twilio subaccount a sub-account uses; without one, the main account. */
  'twilio-account-set': pageRequest<SettingsView>()(twilioAccountSetPayload),
  /** Saves a sub-account's HighLevel token (or the agency's) and adds the sub-account. */
  'highlevel-save': pageRequest<SettingsView>()(highLevelSavePayload),
  /** Tries the saved credentials against both APIs and says what it found. */
  'credentials-check': pageRequest<CredentialsCheck>()(empty),
  /** Forgets the Twilio credentials or one HighLevel token. */
  'credentials-remove': pageRequest<SettingsView>()(removalPayload),
  /** Selects a sub-account for sync, or renames it, or sets its country. */
  'location-set': pageRequest<SettingsView>()(locationSetPayload),
  /** Forgets a sub-account: its own token, synced data and audit log. */
  'location-remove': pageRequest<SettingsView>()(object({ locationId }, 'a sub-account removal')),
  /** Starts a sync and answers at once; the page then polls sync-status. */
  'sync-now': pageRequest<SyncView>()(
    object({ locationId, kind: oneOf(['full', 'incremental']) }, 'a sync request'),
  ),
  'sync-status': pageRequest<SyncView>()(object({ locationId }, 'a sync status request')),
  'hosts-list': pageRequest<HostView[]>()(empty),
  /** Registers the conversations script on a domain the page got permission for. */
  'host-add': pageRequest<HostView[]>()(originPayload),
  /** Unregisters it and gives the permission back. */
  'host-remove': pageRequest<HostView[]>()(originPayload),
} satisfies Catalogue;

export type SettingsRequests = typeof settingsRequests;

/** A white-label origin checked for use, and the match pattern for its pages. */
export type OriginCheck =
  | { ok: true; origin: string; pattern: string }
  | { ok: false; message: string };

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost']);

/** Hostname suffixes the manifest already covers (`*.gohighlevel.com` covers the domain too). */
const BUILT_IN_SUFFIXES = HIGHLEVEL_APP_HOSTS.map((pattern) =>
  pattern.replace(/^https:\/\/(\*\.)?/, '').replace(/\/\*$/, ''),
);

/**
 * Reads what someone typed as a white-label domain (`app.myagency.com`,
 * `https://app.myagency.com/v2/location/…`) and returns its origin, or says
 * what is wrong. Only https, unless `allowLoopbackHttp` (test builds).
 */
export function readWhiteLabelOrigin(
  typed: string,
  options: { allowLoopbackHttp: boolean },
): OriginCheck {
  const text = typed.trim();
  if (text === '') return { ok: false, message: 'Enter a domain, e.g. app.myagency.com.' };
  if (text.includes('*')) {
    return { ok: false, message: 'Enter one domain without wildcards, e.g. app.myagency.com.' };
  }
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return { ok: false, message: `"${text.slice(0, 80)}" is not a domain or web address.` };
  }
  if (url.username !== '' || url.password !== '') {
    return { ok: false, message: 'Leave out any user name or password: enter the domain only.' };
  }
  const host = url.hostname.toLowerCase();
  const loopback = LOOPBACK_NAMES.has(host);
  if (url.protocol === 'http:') {
    if (!(options.allowLoopbackHttp && loopback)) {
      return {
        ok: false,
        message: 'Only https:// domains can be added: HighLevel white-label domains use https.',
      };
    }
  } else if (url.protocol !== 'https:') {
    return { ok: false, message: 'Only https:// domains can be added.' };
  }
  if (url.port !== '' && !(options.allowLoopbackHttp && loopback)) {
    return { ok: false, message: 'Leave out the port: white-label domains use the standard one.' };
  }
  if (!loopback && (!host.includes('.') || host.endsWith('.'))) {
    return { ok: false, message: `"${host}" is not a full domain name, e.g. app.myagency.com.` };
  }
  const covered = BUILT_IN_SUFFIXES.find(
    (suffix) => host === suffix || host.endsWith(`.${suffix}`),
  );
  if (covered !== undefined) {
    return {
      ok: false,
      message: `${host} is a HighLevel domain: Sender Lens already works there.`,
    };
  }
  // The pattern leaves the port out so it matches whatever port the page uses.
  return { ok: true, origin: url.origin, pattern: `${url.protocol}//${host}/*` };
}
