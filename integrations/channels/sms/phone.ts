// Phone numbers as identifiers: E.164 when the number parses, otherwise the vendor's string (short codes, alphanumeric ids).
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

export function toE164(raw: string, defaultCountry?: string): string {
  const value = raw.trim();
  const parsed = parsePhoneNumberFromString(value, defaultCountry as CountryCode | undefined);
  return parsed?.isPossible() ? parsed.number : value;
}
