import { addDays, addYears, todayInShanghai } from '../../functions/shared/calendar.ts';
import { residentIdCheckChar, usccCheckChar } from '../../functions/shared/identity-numbers.ts';

let counter = 0;

/** A fresh, valid resident ID number (unique within a test run). */
export function newIdNumber(): string {
  counter += 1;
  const birth = addDays('1970-01-01', counter * 37 + Math.floor(Math.random() * 9000)).replaceAll('-', '');
  const first17 = `330106${birth}${String(counter % 1000).padStart(3, '0')}`;
  return `${first17}${residentIdCheckChar(first17)}`;
}

/** A fresh, valid unified social credit code (GB 32100), unique within a test run. */
export function newUscc(): string {
  counter += 1;
  const serial = `${String(counter).padStart(4, '0')}${String(Math.floor(Math.random() * 1e5)).padStart(5, '0')}`;
  const first17 = `91330106M${serial}`.slice(0, 17);
  return `${first17}${usccCheckChar(first17)}`;
}

/** Registers a subcontractor through the API (group_admin's client) and returns its id. */
export async function newSubcontractor(
  admin: { post: (path: string, body: unknown) => Promise<{ status: number; body: any }> },
  name = '华信劳务有限公司',
): Promise<string> {
  const res = await admin.post('/subcontractors', {
    name,
    unifiedSocialCreditCode: newUscc(),
    contacts: [{ name: '王建国', phone: '13800138000' }],
  });
  if (res.status !== 201)
    throw new Error(`subcontractor not created: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.subcontractorId as string;
}

export const today = () => todayInShanghai();
export const daysFromToday = (days: number) => addDays(todayInShanghai(), days);
export const yearsFromToday = (years: number, days = 0) => addDays(addYears(todayInShanghai(), years), days);

/** A SAMR forklift certificate expiring `daysLeft` days from today. */
export function samrCertificate(daysLeft: number, overrides: Record<string, unknown> = {}) {
  return {
    scheme: 'SAMR',
    category: 'N1',
    number: `TS-N1-${Math.random().toString(36).slice(2, 10)}`,
    issuedOn: addDays(addYears(addDays(todayInShanghai(), daysLeft), -4), 1),
    expiresOn: daysFromToday(daysLeft),
    ...overrides,
  };
}

/**
 * Admission evidence a blacklist entry may cite, stored in the emulator's evidence bucket
 * as admission would have left it (the entry checks that it exists). Returns its key, in a list.
 */
export async function storedEvidence(
  tenantId: string,
  personId: string,
  prefix: 'documents' | 'face' = 'documents',
  name = 'onb_1/certificate.jpg',
): Promise<string[]> {
  const { PutObjectCommand, S3Client } = await import('@aws-sdk/client-s3');
  const s3 = new S3Client({ forcePathStyle: true });
  const key = `${prefix}/t/${tenantId}/p/${personId}/${name}`;
  await s3.send(
    new PutObjectCommand({
      Bucket: process.env.EVIDENCE_BUCKET,
      Key: key,
      Body: Buffer.from([0xff, 0xd8, 0xff, 0xd9]),
    }),
  );
  s3.destroy();
  return [key];
}
