/**
 * Where the Twilio credentials and HighLevel tokens are kept: an IndexedDB
 * database of the extension's own origin (chrome-extension://ID or
 * moz-extension://UUID).
 *
 * Why there: IndexedDB is partitioned by origin, and a content script runs in
 * the page's origin, so `indexedDB` in a content script opens HighLevel's
 * databases, never the extension's. Only the background and extension pages
 * (options, popup) share the extension origin. `storage.local` is not used
 * because content scripts can read it (`storage.session` can be restricted to
 * trusted contexts, but it is wiped when the browser closes, and Firefox does
 * not support restricting it).
 *
 * Why the guard: the danger runs the other way too. Code that saved a secret
 * from a content script would write it into HighLevel's origin, where the
 * page's own scripts can read it. Every call therefore checks it runs in the
 * extension's origin first.
 *
 * Secrets are stored as plain text on the profile's disk, like every
 * extension's storage: encrypting them with a key kept next to them would add
 * nothing against someone who can read the profile.
 */
import { type IDBPDatabase, wrap } from 'idb';
import { maskSecret, maskSid, Secret, type TwilioCredentials } from './secret';

export { redactSecrets } from './redact';
export {
  maskSecret,
  maskSid,
  type PlainTwilioCredentials,
  revealTwilioCredentials,
  Secret,
  type TwilioCredentials,
} from './secret';

/** Twilio credentials as typed into the options page. */
export type TwilioCredentialsInput =
  | { kind: 'auth-token'; accountSid: string; authToken: string | Secret }
  | { kind: 'api-key'; accountSid: string; apiKeySid: string; apiKeySecret: string | Secret };

/** A HighLevel token's scope: `'agency'` or a sub-account's location id. */
export type HighLevelScope = 'agency' | (string & {});

/** What the options page may show: masks only. */
export interface SecretsDescription {
  twilio: {
    kind: 'auth-token' | 'api-key';
    accountSid: string;
    apiKeySid?: string;
    secret: string;
    savedAt: string;
  } | null;
  highLevel: { scope: string; token: string; savedAt: string }[];
}

/** A secret was rejected; the message names the field and never holds the value. */
export class SecretInputError extends Error {
  constructor(
    readonly field: string,
    detail: string,
  ) {
    super(`${field}: ${detail}`);
    this.name = 'SecretInputError';
  }
}

/** Secrets were touched outside the extension's origin. */
export class UntrustedContextError extends Error {
  constructor(protocol: string | undefined) {
    super(
      `Secrets are only available to the background and extension pages, not from ${protocol ?? 'an unknown'} context`,
    );
    this.name = 'UntrustedContextError';
  }
}

const TRUSTED_PROTOCOLS = new Set(['chrome-extension:', 'moz-extension:']);

/** Throws unless running in the extension's own origin (background or extension page). */
export function assertTrustedContext(
  protocol: string | undefined = (globalThis as { location?: { protocol?: string } }).location
    ?.protocol,
): void {
  if (protocol === undefined || !TRUSTED_PROTOCOLS.has(protocol)) {
    throw new UntrustedContextError(protocol);
  }
}

export const SECRETS_DB_NAME = 'sender-lens-secrets';
const STORE = 'secrets';
const TWILIO_KEY = 'twilio';

interface TwilioRow {
  key: typeof TWILIO_KEY;
  kind: 'auth-token' | 'api-key';
  accountSid: string;
  apiKeySid?: string;
  secret: string;
  savedAt: string;
}

interface HighLevelRow {
  key: string;
  scope: string;
  token: string;
  savedAt: string;
}

type Row = TwilioRow | HighLevelRow;

const ACCOUNT_SID = /^AC[0-9a-fA-F]{32}$/;
const API_KEY_SID = /^SK[0-9a-fA-F]{32}$/;
const AUTH_TOKEN = /^[0-9a-fA-F]{32}$/;
// Printable ASCII, no spaces: what the REST clients accept in a header.
const TOKENISH = /^[\x21-\x7e]{16,4096}$/;
const SCOPE = /^[A-Za-z0-9_-]{1,100}$/;

function plain(value: string | Secret, field: string): string {
  const text = value instanceof Secret ? value.reveal() : value;
  if (typeof text !== 'string' || text.trim() === '') {
    throw new SecretInputError(field, 'is empty');
  }
  return text.trim();
}

function checkSid(value: unknown, pattern: RegExp, field: string, prefix: string): string {
  if (typeof value !== 'string' || !pattern.test(value.trim())) {
    throw new SecretInputError(
      field,
      `expected "${prefix}" followed by 32 hexadecimal characters, as shown in the Twilio Console`,
    );
  }
  return value.trim();
}

function highLevelKey(scope: string): string {
  if (typeof scope !== 'string' || !SCOPE.test(scope)) {
    throw new SecretInputError('scope', 'expected "agency" or a HighLevel location id');
  }
  return `highlevel:${scope}`;
}

function toTwilioRow(input: TwilioCredentialsInput, savedAt: string): TwilioRow {
  if (typeof input !== 'object' || input === null) {
    throw new SecretInputError('credentials', 'expected an object');
  }
  const accountSid = checkSid(input.accountSid, ACCOUNT_SID, 'Account SID', 'AC');
  if (input.kind === 'auth-token') {
    const secret = plain(input.authToken, 'Auth Token');
    if (!AUTH_TOKEN.test(secret)) {
      throw new SecretInputError(
        'Auth Token',
        'expected 32 hexadecimal characters (the Auth Token, not the Account SID)',
      );
    }
    return { key: TWILIO_KEY, kind: 'auth-token', accountSid, secret, savedAt };
  }
  if (input.kind === 'api-key') {
    const apiKeySid = checkSid(input.apiKeySid, API_KEY_SID, 'API key SID', 'SK');
    const secret = plain(input.apiKeySecret, 'API key secret');
    if (!TOKENISH.test(secret)) {
      throw new SecretInputError(
        'API key secret',
        'expected at least 16 printable characters and no spaces',
      );
    }
    return { key: TWILIO_KEY, kind: 'api-key', accountSid, apiKeySid, secret, savedAt };
  }
  throw new SecretInputError('kind', 'expected "auth-token" or "api-key"');
}

function fromTwilioRow(row: TwilioRow): TwilioCredentials {
  return row.kind === 'auth-token'
    ? { kind: 'auth-token', accountSid: row.accountSid, authToken: new Secret(row.secret) }
    : {
        kind: 'api-key',
        accountSid: row.accountSid,
        apiKeySid: row.apiKeySid as string,
        apiKeySecret: new Secret(row.secret),
      };
}

export interface SecretsOptions {
  /** Defaults to the global `indexedDB`. */
  factory?: IDBFactory;
  /** The protocol checked by the guard; defaults to `location.protocol`. Tests inject it. */
  protocol?: string;
  now?: () => Date;
}

/** The secrets API over one database connection. */
export interface SecretsStore {
  saveTwilioCredentials(credentials: TwilioCredentialsInput): Promise<void>;
  loadTwilioCredentials(): Promise<TwilioCredentials | null>;
  removeTwilioCredentials(): Promise<void>;
  saveHighLevelToken(scope: HighLevelScope, token: string | Secret): Promise<void>;
  loadHighLevelToken(scope: HighLevelScope): Promise<Secret | null>;
  /** The location's own token, else the agency's. */
  highLevelTokenFor(locationId: string): Promise<{ scope: string; token: Secret } | null>;
  removeHighLevelToken(scope: HighLevelScope): Promise<void>;
  describeSecrets(): Promise<SecretsDescription>;
  close(): void;
}

/** Opens the secrets store; every call checks the trusted context first. */
export function createSecretsStore(options: SecretsOptions = {}): SecretsStore {
  const now = options.now ?? (() => new Date());
  let connection: Promise<IDBPDatabase> | null = null;

  function db(): Promise<IDBPDatabase> {
    assertTrustedContext('protocol' in options ? options.protocol : undefined);
    if (connection === null) {
      const factory = options.factory ?? globalThis.indexedDB;
      const request = factory.open(SECRETS_DB_NAME, 1);
      request.addEventListener('upgradeneeded', () => {
        request.result.createObjectStore(STORE, { keyPath: 'key' });
      });
      const opening = (wrap(request) as unknown as Promise<IDBPDatabase>).then((opened) => {
        opened.addEventListener('versionchange', () => {
          opened.close();
          connection = null;
        });
        return opened;
      });
      opening.catch(() => {
        connection = null;
      });
      connection = opening;
    }
    return connection;
  }

  async function get(key: string): Promise<Row | undefined> {
    return (await db()).get(STORE, key) as Promise<Row | undefined>;
  }

  return {
    async saveTwilioCredentials(credentials) {
      const row = toTwilioRow(credentials, now().toISOString());
      await (await db()).put(STORE, row);
    },
    async loadTwilioCredentials() {
      const row = (await get(TWILIO_KEY)) as TwilioRow | undefined;
      return row === undefined ? null : fromTwilioRow(row);
    },
    async removeTwilioCredentials() {
      await (await db()).delete(STORE, TWILIO_KEY);
    },
    async saveHighLevelToken(scope, token) {
      const key = highLevelKey(scope);
      const value = plain(token, 'HighLevel token');
      if (!TOKENISH.test(value)) {
        throw new SecretInputError(
          'HighLevel token',
          'expected at least 16 printable characters and no spaces',
        );
      }
      const row: HighLevelRow = { key, scope, token: value, savedAt: now().toISOString() };
      await (await db()).put(STORE, row);
    },
    async loadHighLevelToken(scope) {
      const row = (await get(highLevelKey(scope))) as HighLevelRow | undefined;
      return row === undefined ? null : new Secret(row.token);
    },
    async highLevelTokenFor(locationId) {
      for (const scope of [locationId, 'agency']) {
        const token = await this.loadHighLevelToken(scope);
        if (token !== null) return { scope, token };
      }
      return null;
    },
    async removeHighLevelToken(scope) {
      await (await db()).delete(STORE, highLevelKey(scope));
    },
    async describeSecrets() {
      const rows = (await (await db()).getAll(STORE)) as Row[];
      const description: SecretsDescription = { twilio: null, highLevel: [] };
      for (const row of rows) {
        if (row.key === TWILIO_KEY) {
          const twilio = row as TwilioRow;
          description.twilio = {
            kind: twilio.kind,
            accountSid: maskSid(twilio.accountSid),
            secret: maskSecret(twilio.secret),
            savedAt: twilio.savedAt,
          };
          if (twilio.apiKeySid !== undefined)
            description.twilio.apiKeySid = maskSid(twilio.apiKeySid);
        } else {
          const highLevel = row as HighLevelRow;
          description.highLevel.push({
            scope: highLevel.scope,
            token: maskSecret(highLevel.token),
            savedAt: highLevel.savedAt,
          });
        }
      }
      return description;
    },
    close() {
      const open = connection;
      connection = null;
      open?.then((opened) => opened.close()).catch(() => {});
    },
  };
}

let shared: SecretsStore | null = null;

function secrets(): SecretsStore {
  shared ??= createSecretsStore();
  return shared;
}

/** Saves the Twilio credentials, replacing any saved before. */
export function saveTwilioCredentials(credentials: TwilioCredentialsInput): Promise<void> {
  return secrets().saveTwilioCredentials(credentials);
}

/** The saved Twilio credentials, secrets wrapped, or null. */
export function loadTwilioCredentials(): Promise<TwilioCredentials | null> {
  return secrets().loadTwilioCredentials();
}

/** Forgets the Twilio credentials. */
export function removeTwilioCredentials(): Promise<void> {
  return secrets().removeTwilioCredentials();
}

/** Saves a HighLevel Private Integration token for the agency or one location. */
export function saveHighLevelToken(scope: HighLevelScope, token: string | Secret): Promise<void> {
  return secrets().saveHighLevelToken(scope, token);
}

/** The HighLevel token saved for exactly this scope, or null. */
export function loadHighLevelToken(scope: HighLevelScope): Promise<Secret | null> {
  return secrets().loadHighLevelToken(scope);
}

/** The token to use for a location: its own, else the agency's. */
export function highLevelTokenFor(
  locationId: string,
): Promise<{ scope: string; token: Secret } | null> {
  return secrets().highLevelTokenFor(locationId);
}

/** Forgets the HighLevel token of one scope. */
export function removeHighLevelToken(scope: HighLevelScope): Promise<void> {
  return secrets().removeHighLevelToken(scope);
}

/** Masked hints of what is saved, for the options page. */
export function describeSecrets(): Promise<SecretsDescription> {
  return secrets().describeSecrets();
}
