import {
  type CountryCode,
  isSupportedCountry,
  parsePhoneNumberFromString,
} from 'libphonenumber-js/max';

/** Whether `country` is an ISO 3166 alpha-2 code libphonenumber knows. */
export function isKnownCountry(country: string): country is CountryCode {
  return isSupportedCountry(country);
}

/**
 * Reads phone numbers in any common format for one country, caching each
 * distinct input: history repeats the same few numbers a million times, and a
 * parse costs about 10 µs.
 */
export class PhoneBook {
  private readonly e164 = new Map<string, string | null>();
  private readonly shown = new Map<string, string>();

  constructor(readonly country: CountryCode) {}

  /** E.164 for a valid number, or null when it is not a valid phone number. */
  normalise(raw: string): string | null {
    let cached = this.e164.get(raw);
    if (cached === undefined) {
      const parsed = parsePhoneNumberFromString(raw, this.country);
      // parsePhoneNumberFromString returns an object even for junk ('12345'),
      // so validity has to be checked explicitly.
      cached = parsed?.isValid() ? parsed.number : null;
      this.e164.set(raw, cached);
      // The national form of a North American number is fixed, so it is
      // written here, while the parse is at hand, rather than parsed again
      // for the first trace that names it.
      if (
        cached !== null &&
        parsed?.countryCallingCode === '1' &&
        parsed.country === this.country
      ) {
        const n = parsed.nationalNumber;
        this.shown.set(cached, `(${n.slice(0, 3)}) ${n.slice(3, 6)}-${n.slice(6)}`);
      }
    }
    return cached;
  }

  /** How a person in the sub-account's country writes the number. */
  display(e164: string): string {
    let text = this.shown.get(e164);
    if (text === undefined) {
      const parsed = parsePhoneNumberFromString(e164);
      if (!parsed) text = e164;
      else if (parsed.country === this.country) text = parsed.formatNational();
      else text = parsed.formatInternational();
      this.shown.set(e164, text);
    }
    return text;
  }
}
