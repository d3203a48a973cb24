import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import { PhoneBook } from '../../lib/rules';

describe('PhoneBook', () => {
  const samples = [
    '+14155550100',
    '(212) 555-0187',
    '+1 305 555 0123',
    '+12025550199',
    '+16135550100',
    '+442071838750',
  ];

  it('writes numbers as libphonenumber does, whether read first or only displayed', () => {
    for (const raw of samples) {
      const e164 = new PhoneBook('US').normalise(raw) as string;
      const parsed = parsePhoneNumberFromString(e164);
      const expected =
        parsed?.country === 'US' ? parsed.formatNational() : parsed?.formatInternational();
      const readFirst = new PhoneBook('US');
      readFirst.normalise(raw);
      expect(readFirst.display(e164)).toBe(expected);
      expect(new PhoneBook('US').display(e164)).toBe(expected);
    }
  });

  it('writes a Canadian number internationally for a US sub-account, nationally for a Canadian one', () => {
    expect(new PhoneBook('US').display('+16135550100')).toBe('+1 613 555 0100');
    const canadian = new PhoneBook('CA');
    canadian.normalise('+16135550100');
    expect(canadian.display('+16135550100')).toBe('(613) 555-0100');
  });

  it('refuses what is not a valid number', () => {
    const book = new PhoneBook('US');
    for (const raw of ['12345', '555-0100', 'abc', '+1 000 000 0000'])
      expect(book.normalise(raw)).toBeNull();
  });
});
