// Chinese identity numbers: resident ID (GB 11643-1999) and unified social credit code
// (GB 32100-2015). Pure functions; the raw ID number never leaves the request that
// carried it: it is stored only as a keyed hash plus its masked form.
import { createHmac } from 'node:crypto';
import { isCalendarDate } from './calendar.ts';

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK_CHARS = '10X98765432';

export type IdNumberProblem = 'format' | 'birth_date' | 'check_digit';

/** Upper-cases a trailing x and trims; the canonical form used for hashing. */
export function normalizeIdNumber(raw: string): string {
  return raw.trim().toUpperCase();
}

/** Reads the first 17 characters only: passing the whole 18 gives the same answer. */
export function residentIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (ID_WEIGHTS[i] as number);
  return ID_CHECK_CHARS[sum % 11] as string;
}

/** Returns undefined when valid, otherwise what is wrong with it. */
export function residentIdProblem(raw: string): IdNumberProblem | undefined {
  const id = normalizeIdNumber(raw);
  if (!/^[1-9]\d{16}[\dX]$/.test(id)) return 'format';
  const birth = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  if (!isCalendarDate(birth) || birth < '1900-01-01') return 'birth_date';
  if (residentIdCheckChar(id.slice(0, 17)) !== id[17]) return 'check_digit';
  return undefined;
}

/** `330106199001011234` → `3301**********1234`. */
export function maskIdNumber(raw: string): string {
  const id = normalizeIdNumber(raw);
  return `${id.slice(0, 4)}${'*'.repeat(Math.max(0, id.length - 8))}${id.slice(-4)}`;
}

/** Keyed hash for look-ups and uniqueness; the key lives in Secrets Manager. */
export function hashIdNumber(raw: string, key: string): string {
  return createHmac('sha256', key).update(normalizeIdNumber(raw)).digest('base64url');
}

/** `13812345678` → `138****5678`; other formats keep only their last 4 characters. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\s/g, '');
  if (digits.length <= 4) return '*'.repeat(digits.length);
  if (digits.length === 11) return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
  return `${'*'.repeat(digits.length - 4)}${digits.slice(-4)}`;
}

/** a***@example.com: enough to recognise one's own address, not to write to it. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '***';
  return `${email[0]}***${email.slice(at)}`;
}

/** Shows the family name only: 张三丰 → 张**. Latin names keep their first letter. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length <= 1) return chars.join('');
  return `${chars[0]}${'*'.repeat(chars.length - 1)}`;
}

const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** Check value of a unified social credit code: (31 − Σ mod 31) mod 31. */
export function usccCheckChar(first17: string): string | undefined {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = USCC_ALPHABET.indexOf(first17[i] ?? '');
    if (v < 0) return undefined;
    sum += v * (USCC_WEIGHTS[i] as number);
  }
  // The final "mod 31" matters: Σ ≡ 0 gives 0, not 31 (a known npm package gets this wrong).
  return USCC_ALPHABET[(31 - (sum % 31)) % 31];
}

export type UsccVerdict = 'valid' | 'bad_check_char' | 'format';

/** Early pilot codes fail the checksum, so callers should warn on `bad_check_char`, not reject. */
export function checkUscc(raw: string): UsccVerdict {
  const code = raw.trim().toUpperCase();
  if (code.length !== 18 || [...code].some((c) => !USCC_ALPHABET.includes(c))) return 'format';
  return usccCheckChar(code.slice(0, 17)) === code[17] ? 'valid' : 'bad_check_char';
}

/** Full-width digits, letters and hyphens (common in pasted Chinese text) as ASCII. */
export function toHalfWidth(text: string): string {
  return text.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

// A run of 15–18 digits (a trailing X allowed), possibly split by spaces, hyphens or dots
// (`330106-19700707-2536`), in half- or full-width form: what an ID number looks like
// when people paste it. Deliberately broad: masking a long number that is not an ID costs
// nothing; letting one ID number through is a leak.
const ID_LIKE_RUN = /(?<![0-9０-９])(?:[0-9０-９][\s\-.－．]?){14,17}[0-9０-９XxＸｘ](?![0-9０-９])/g;

/**
 * Masks every ID-like digit run anywhere in a text (`T330106197007072536` →
 * `T3301**********2536`, `身份证330106-19700707-2536` → `身份证3301**********2536`).
 */
export function maskIdLikeRuns(text: string): string {
  return text.replace(ID_LIKE_RUN, (run) => maskIdNumber(toHalfWidth(run).replace(/[\s\-.]/g, '')));
}
