import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  assertTrustedContext,
  createSecretsStore,
  describeSecrets,
  loadTwilioCredentials,
  revealTwilioCredentials,
  SECRETS_DB_NAME,
  Secret,
  SecretInputError,
  type SecretsStore,
  UntrustedContextError,
} from '../../lib/secrets/index';

const ACCOUNT_SID = 'AC0123456789abcdef0123456789ab4f2a';
const AUTH_TOKEN = '00112233445566778899aabbccdd1234';
const API_KEY_SID = 'SK0123456789abcdef0123456789abcd99';
const API_SECRET = 'Zr8sKq2LmN4pQ6tV8xY0aB2cD4eF5678';
const HL_TOKEN = 'pit-1234abcd-12ab-34cd-56ef-1234567890ab';

let factory: IDBFactory;
let secrets: SecretsStore;

beforeEach(() => {
  factory = new IDBFactory();
  secrets = createSecretsStore({
    factory,
    protocol: 'chrome-extension:',
    now: () => new Date(Date.UTC(2026, 0, 1)),
  });
});

describe('Twilio credentials', () => {
  it('round-trip an Account SID with its Auth Token, the token wrapped', async () => {
    expect(await secrets.loadTwilioCredentials()).toBeNull();
    await secrets.saveTwilioCredentials({
      kind: 'auth-token',
      accountSid: ` ${ACCOUNT_SID} `,
      authToken: `${AUTH_TOKEN}\n`,
    });
    const loaded = await secrets.loadTwilioCredentials();
    expect(loaded?.kind).toBe('auth-token');
    expect(loaded?.accountSid).toBe(ACCOUNT_SID);
    if (loaded?.kind !== 'auth-token') throw new Error('expected auth-token credentials');
    expect(loaded.authToken).toBeInstanceOf(Secret);
    expect(loaded.authToken.reveal()).toBe(AUTH_TOKEN);
    expect(JSON.stringify(loaded)).not.toContain(AUTH_TOKEN);
    expect(revealTwilioCredentials(loaded)).toEqual({
      kind: 'auth-token',
      accountSid: ACCOUNT_SID,
      authToken: AUTH_TOKEN,
    });
  });

  it('round-trip an API key, replacing the saved Auth Token, and can be removed', async () => {
    await secrets.saveTwilioCredentials({
      kind: 'auth-token',
      accountSid: ACCOUNT_SID,
      authToken: AUTH_TOKEN,
    });
    await secrets.saveTwilioCredentials({
      kind: 'api-key',
      accountSid: ACCOUNT_SID,
      apiKeySid: API_KEY_SID,
      apiKeySecret: new Secret(API_SECRET),
    });
    const loaded = await secrets.loadTwilioCredentials();
    if (loaded?.kind !== 'api-key') throw new Error('expected api-key credentials');
    expect(loaded.apiKeySid).toBe(API_KEY_SID);
    expect(loaded.apiKeySecret.reveal()).toBe(API_SECRET);
    await secrets.removeTwilioCredentials();
    expect(await secrets.loadTwilioCredentials()).toBeNull();
  });

  it('refuses malformed credentials without repeating them', async () => {
    const attempts: [Parameters<SecretsStore['saveTwilioCredentials']>[0], string][] = [
      [{ kind: 'auth-token', accountSid: AUTH_TOKEN, authToken: AUTH_TOKEN }, 'Account SID'],
      [{ kind: 'auth-token', accountSid: ACCOUNT_SID, authToken: ACCOUNT_SID }, 'Auth Token'],
      [{ kind: 'auth-token', accountSid: ACCOUNT_SID, authToken: '   ' }, 'Auth Token: is empty'],
      [
        {
          kind: 'api-key',
          accountSid: ACCOUNT_SID,
          apiKeySid: API_SECRET,
          apiKeySecret: API_SECRET,
        },
        'API key SID',
      ],
      [
        {
          kind: 'api-key',
          accountSid: ACCOUNT_SID,
          apiKeySid: API_KEY_SID,
          apiKeySecret: 'has space in it ok',
        },
        'API key secret',
      ],
      [{ kind: 'basic', accountSid: ACCOUNT_SID } as never, 'kind'],
    ];
    for (const [input, field] of attempts) {
      const error = await secrets.saveTwilioCredentials(input).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SecretInputError);
      expect((error as Error).message.startsWith(field)).toBe(true);
      for (const value of [AUTH_TOKEN, API_SECRET, ACCOUNT_SID, 'has space in it ok']) {
        expect((error as Error).message).not.toContain(value);
      }
    }
    expect(await secrets.loadTwilioCredentials()).toBeNull();
  });
});

describe('HighLevel tokens', () => {
  it('are kept per location or for the agency, the location’s own first', async () => {
    await secrets.saveHighLevelToken('agency', HL_TOKEN);
    await secrets.saveHighLevelToken('loc-a', 'pit-aaaaaaaa-12ab-34cd-56ef-aaaaaaaaaaaa');
    expect((await secrets.loadHighLevelToken('agency'))?.reveal()).toBe(HL_TOKEN);
    expect(await secrets.loadHighLevelToken('loc-b')).toBeNull();

    const forA = await secrets.highLevelTokenFor('loc-a');
    expect(forA?.scope).toBe('loc-a');
    expect(forA?.token.reveal()).toBe('pit-aaaaaaaa-12ab-34cd-56ef-aaaaaaaaaaaa');
    const forB = await secrets.highLevelTokenFor('loc-b');
    expect(forB?.scope).toBe('agency');

    await secrets.removeHighLevelToken('loc-a');
    expect((await secrets.highLevelTokenFor('loc-a'))?.scope).toBe('agency');
    await secrets.removeHighLevelToken('agency');
    expect(await secrets.highLevelTokenFor('loc-a')).toBeNull();
  });

  it('refuses a bad scope or token without repeating the token', async () => {
    await expect(secrets.saveHighLevelToken('loc a/../b', HL_TOKEN)).rejects.toThrow('scope:');
    const error = await secrets
      .saveHighLevelToken('agency', 'pit with spaces inside')
      .catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/^HighLevel token: /);
    expect((error as Error).message).not.toContain('pit with');
  });
});

describe('describeSecrets', () => {
  it('shows masks only', async () => {
    expect(await secrets.describeSecrets()).toEqual({ twilio: null, highLevel: [] });
    await secrets.saveTwilioCredentials({
      kind: 'api-key',
      accountSid: ACCOUNT_SID,
      apiKeySid: API_KEY_SID,
      apiKeySecret: API_SECRET,
    });
    await secrets.saveHighLevelToken('agency', HL_TOKEN);
    const description = await secrets.describeSecrets();
    expect(description).toEqual({
      twilio: {
        kind: 'api-key',
        accountSid: 'AC…4f2a',
        apiKeySid: 'SK…cd99',
        secret: '••••5678',
        savedAt: '2026-01-01T00:00:00.000Z',
      },
      highLevel: [{ scope: 'agency', token: '••••90ab', savedAt: '2026-01-01T00:00:00.000Z' }],
    });
    const text = JSON.stringify(description);
    for (const value of [API_SECRET, HL_TOKEN, ACCOUNT_SID, API_KEY_SID]) {
      expect(text).not.toContain(value);
    }
  });
});

describe('trusted context', () => {
  it('accepts the extension origins only', () => {
    expect(() => assertTrustedContext('chrome-extension:')).not.toThrow();
    expect(() => assertTrustedContext('moz-extension:')).not.toThrow();
    for (const protocol of ['https:', 'http:', 'file:', 'about:', undefined]) {
      expect(() => assertTrustedContext(protocol)).toThrow(UntrustedContextError);
    }
  });

  it('keeps a content script (page origin) from reading or writing secrets', async () => {
    const page = createSecretsStore({ factory, protocol: 'https:' });
    await expect(page.loadTwilioCredentials()).rejects.toThrow(UntrustedContextError);
    await expect(page.saveHighLevelToken('agency', HL_TOKEN)).rejects.toThrow(
      'only available to the background and extension pages',
    );
    // Nothing was written, not even the database.
    const names = (await factory.databases()).map((d) => d.name);
    expect(names).not.toContain(SECRETS_DB_NAME);
  });

  it('guards the default functions by the real location (none in Node)', async () => {
    await expect(loadTwilioCredentials()).rejects.toThrow(UntrustedContextError);
    await expect(describeSecrets()).rejects.toThrow(UntrustedContextError);
  });
});
