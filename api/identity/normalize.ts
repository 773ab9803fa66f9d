// Identifiers are compared in one canonical form: E.164 phones (libphonenumber-js), lower-cased emails.
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

export function normalizeEmail(value: string): string | undefined {
  const v = value.trim().toLowerCase();
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v) ? v : undefined;
}

export function normalizePhone(value: string, defaultCountry: CountryCode = 'US'): string | undefined {
  const p = parsePhoneNumberFromString(value.trim(), defaultCountry);
  // "Possible" rather than "valid": numbering plans change faster than the library, and fictional ranges (555) are real test numbers.
  return p?.isPossible() ? p.number : undefined;
}
