import { describe, expect, it } from 'vitest';
import { keywordOf, parseMessageDate } from '../../lib/rules';

describe('parseMessageDate', () => {
  const utc = (iso: string) => new Date(iso).getTime();

  it.each([
    ['2025-03-01T10:00:00Z', '2025-03-01T10:00:00.000Z'],
    ['2025-03-01T10:00:00.123Z', '2025-03-01T10:00:00.123Z'],
    ['2025-03-01T10:00:00.123456+02:00', '2025-03-01T08:00:00.123Z'],
    ['2025-03-01T10:00:00-0530', '2025-03-01T15:30:00.000Z'],
    ['2025-03-01 10:00', '2025-03-01T10:00:00.000Z'],
    ['2025-03-01', '2025-03-01T00:00:00.000Z'],
    ['Tue, 04 Mar 2025 10:00:00 +0000', '2025-03-04T10:00:00.000Z'],
    ['Mon, 03 Mar 2025 23:59:00 -0800', '2025-03-04T07:59:00.000Z'],
    ['4 Mar 2025 10:00 GMT', '2025-03-04T10:00:00.000Z'],
    ['Tue, 04 Mar 2025 10:00:00 EST', '2025-03-04T15:00:00.000Z'],
    ['2024-12-31T23:59:60Z', '2024-12-31T23:59:59.000Z'],
  ])('reads %s', (text, iso) => {
    expect(parseMessageDate(text)).toBe(utc(iso));
  });

  it.each([
    'yesterday',
    '',
    '03/04/2025',
    '2025-13-01T00:00:00Z',
    '2025-02-29T00:00:00Z',
    '2025-03-01T24:00:00Z',
    '2025-03-01T10:00:00+25:00',
    'Tue, 04 Foo 2025 10:00:00 +0000',
    'Tue, 32 Mar 2025 10:00:00 +0000',
    'Tue, 04 Mar 2025 10:00:00 XYZ',
    '1741082400',
  ])('refuses %j', (text) => {
    expect(parseMessageDate(text)).toBeNull();
  });

  it('accepts 29 February in a leap year only', () => {
    expect(parseMessageDate('2024-02-29T00:00:00Z')).toBe(utc('2024-02-29T00:00:00Z'));
    expect(parseMessageDate('2023-02-29T00:00:00Z')).toBeNull();
  });
});

describe('keywordOf', () => {
  const AFTER_REVOKE = Date.UTC(2026, 0, 1);

  it.each([
    ['STOP', 'opt-out'],
    [' stop\n', 'opt-out'],
    ['StopAll', 'opt-out'],
    ['UNSUBSCRIBE', 'opt-out'],
    ['cancel', 'opt-out'],
    ['End', 'opt-out'],
    ['QUIT', 'opt-out'],
    ['start', 'opt-in'],
    ['Yes', 'opt-in'],
    ['UNSTOP', 'opt-in'],
  ])('reads %j as %s', (body, kind) => {
    expect(keywordOf(body, AFTER_REVOKE)).toBe(kind);
  });

  it.each(['REVOKE', ' revoke ', 'OptOut'])(
    'reads %j as an opt-out from 2025-05-14 on and as no keyword before',
    (body) => {
      expect(keywordOf(body, Date.UTC(2025, 4, 14))).toBe('opt-out');
      expect(keywordOf(body, AFTER_REVOKE)).toBe('opt-out');
      expect(keywordOf(body, Date.UTC(2025, 4, 14) - 1)).toBeNull();
      expect(keywordOf(body, Date.UTC(2024, 0, 1))).toBeNull();
    },
  );

  it.each([
    'stop it',
    'STOP!',
    'please unsubscribe',
    'no',
    '',
    'ok',
    `${' '.repeat(30)}STOP${' '.repeat(30)}x`,
  ])('reads %j as no keyword', (body) => {
    expect(keywordOf(body, AFTER_REVOKE)).toBeNull();
  });

  it('reads a keyword padded with lots of white space', () => {
    expect(keywordOf(`${' '.repeat(40)}STOP${' '.repeat(40)}`, AFTER_REVOKE)).toBe('opt-out');
  });

  it('reads no body as no keyword', () => {
    expect(keywordOf(undefined, AFTER_REVOKE)).toBeNull();
  });
});

describe('the canonical ISO fast path', () => {
  it('agrees with the general reader on every instant', async () => {
    const fc = (await import('fast-check')).default;
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1970-01-01'), max: new Date('2199-12-31'), noInvalidDate: true }),
        (date) => {
          const iso = date.toISOString();
          const seconds = iso.replace(/\.\d{3}Z$/, 'Z');
          expect(parseMessageDate(iso)).toBe(date.getTime());
          // A leading space sends the same text through the regular expression.
          expect(parseMessageDate(` ${iso}`)).toBe(date.getTime());
          expect(parseMessageDate(seconds)).toBe(parseMessageDate(` ${seconds}`));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it.each([
    '2025-02-30T00:00:00Z',
    '2025-02-28T24:00:00.000Z',
    '2025-0a-01T00:00:00Z',
    '2025-01-01T00:00:00.0aZ',
  ])('refuses %s on either path', (text) => {
    expect(parseMessageDate(text)).toBeNull();
    expect(parseMessageDate(` ${text}`)).toBeNull();
  });
});
