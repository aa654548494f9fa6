// Certificate numbers as personal data. A MEM number is "T" + the holder's ID number (and
// many SAMR numbers embed it too), so a number is never stored or returned in clear: the
// item keeps a masked form to show, a keyed hash for look-ups and uniqueness guards, and
// a KMS ciphertext that only verification opens, to ask the registry.
import { hashIdNumber, maskIdLikeRuns } from '../shared/identity-numbers.ts';

/** What is stored of a certificate number. */
export interface ProtectedNumber {
  numberMasked: string;
  numberHash: string;
  numberCipher: string;
}

/** The canonical form compared and hashed: trimmed, upper case, full-width folded. */
export function normalizeCertificateNumber(raw: string): string {
  return raw.normalize('NFKC').trim().toUpperCase();
}

export const maskCertificateNumber = (raw: string) => maskIdLikeRuns(normalizeCertificateNumber(raw));

/** Keyed hash of a certificate number; the key is the ID-hash key (no second secret to manage). */
export const hashCertificateNumber = (raw: string, key: string) =>
  hashIdNumber(`CERTNO:${normalizeCertificateNumber(raw)}`, key);

/** The port: encryption of numbers for one tenant, and the hash key. */
export interface CertificateNumberVault {
  protect(tenantId: string, number: string): Promise<ProtectedNumber>;
  hash(number: string): Promise<string>;
  /** The number in clear, for the registry query only; never returned or logged. */
  reveal(tenantId: string, numberCipher: string): Promise<string>;
}
