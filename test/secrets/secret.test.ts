import { format, inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../lib/secrets/redact';
import { maskSecret, maskSid, revealTwilioCredentials, Secret } from '../../lib/secrets/secret';
// Typed against the Twilio client's own credentials type: tsc fails if they drift apart.
import type { TwilioCredentials as ClientCredentials } from '../../lib/twilio/types';

const VALUE = 'f00dfacecafe1234beefdead98765432';

describe('Secret', () => {
  it('never shows its value when printed, serialised or cloned', () => {
    const secret = new Secret(VALUE);
    const holder = { accountSid: 'AC123', authToken: secret, nested: [secret] };
    const shown = [
      JSON.stringify(secret),
      JSON.stringify(holder),
      String(secret),
      `${secret}`,
      `token=${secret}`,
      // biome-ignore lint/style/useTemplate: concatenation is one of the paths checked
      'token=' + secret,
      inspect(secret),
      inspect(holder, { depth: 10, showHidden: true }),
      format('%s %o %O %j', secret, holder, holder, holder),
      new Error(`request failed with ${secret}`).message,
      String(new Error('wrapped', { cause: secret }).cause),
      JSON.stringify(structuredClone(holder)),
      JSON.stringify(Object.entries(secret)),
      JSON.stringify({ ...secret }),
      Object.getOwnPropertyNames(secret).join(','),
    ];
    for (const text of shown) expect(text).not.toContain(VALUE);
    expect(String(secret)).toBe('[secret]');
    expect(JSON.stringify(holder)).toBe(
      '{"accountSid":"AC123","authToken":"[secret]","nested":["[secret]"]}',
    );
    expect(inspect(holder)).toContain('[secret]');
  });

  it('gives its value only through reveal()', () => {
    expect(new Secret(VALUE).reveal()).toBe(VALUE);
    // A look-alike object is not a secret and has nothing to reveal.
    const fake = Object.create(Secret.prototype) as Secret;
    expect(() => fake.reveal()).toThrow('Not a Secret');
    expect(() => new Secret('')).toThrow('non-empty');
  });

  it('cannot be changed after it is made', () => {
    const secret = new Secret(VALUE);
    expect(() => {
      (secret as unknown as { toJSON: () => string }).toJSON = () => 'leak';
    }).toThrow(TypeError);
  });
});

describe('masks', () => {
  it('show only the last four characters', () => {
    expect(maskSecret(VALUE)).toBe('••••5432');
    expect(new Secret(VALUE).hint()).toBe('••••5432');
    expect(maskSecret('short')).toBe('••••');
    expect(maskSid('AC0123456789abcdef0123456789ab4f2a')).toBe('AC…4f2a');
    expect(maskSid('AC1')).toBe('…');
  });
});

describe('revealTwilioCredentials', () => {
  it('gives the plain shape lib/twilio’s client takes, for either kind', () => {
    const authToken: ClientCredentials = revealTwilioCredentials({
      kind: 'auth-token',
      accountSid: 'ACx',
      authToken: new Secret(VALUE),
    });
    expect(authToken).toEqual({ kind: 'auth-token', accountSid: 'ACx', authToken: VALUE });
    const apiKey: ClientCredentials = revealTwilioCredentials({
      kind: 'api-key',
      accountSid: 'ACx',
      apiKeySid: 'SKy',
      apiKeySecret: new Secret('key-secret'),
    });
    expect(apiKey).toEqual({
      kind: 'api-key',
      accountSid: 'ACx',
      apiKeySid: 'SKy',
      apiKeySecret: 'key-secret',
    });
  });
});

describe('redactSecrets', () => {
  it('masks what looks like a credential and keeps SIDs and ordinary text', () => {
    const sid = 'AC0123456789abcdef0123456789abcdef';
    const cases: [string, string][] = [
      [`Auth Token ${VALUE} rejected`, 'Auth Token [redacted] rejected'],
      ['Authorization: Basic QUMxMjM6c2VjcmV0', 'Authorization: Basic [redacted]'],
      ['Authorization: Bearer eyJhbGciOi.eyJzdWIi.sig', 'Authorization: Bearer [redacted]'],
      ['token pit-1234abcd-12ab-34cd-56ef-1234567890ab failed', 'token [redacted] failed'],
      ['jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc_DEF-1 here', 'jwt [redacted] here'],
      [`https://${sid}:${VALUE}@api.twilio.com/x`, 'https://[redacted]@api.twilio.com/x'],
      [`Account ${sid} not found (20404)`, `Account ${sid} not found (20404)`],
    ];
    for (const [input, output] of cases) expect(redactSecrets(input)).toBe(output);
  });
});
