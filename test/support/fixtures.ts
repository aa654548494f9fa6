import { addDays, addYears, todayInShanghai } from '../../functions/shared/calendar.ts';
import { residentIdCheckChar } from '../../functions/shared/identity-numbers.ts';

let counter = 0;

/** A fresh, valid resident ID number (unique within a test run). */
export function newIdNumber(): string {
  counter += 1;
  const birth = addDays('1970-01-01', counter * 37 + Math.floor(Math.random() * 9000)).replaceAll('-', '');
  const first17 = `330106${birth}${String(counter % 1000).padStart(3, '0')}`;
  return `${first17}${residentIdCheckChar(first17)}`;
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
