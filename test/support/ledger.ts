// A generated ledger (台账) as customers bring it: people with one or two certificates (the
// second on a continuation row with name and ID left empty, as merged cells read), badges,
// and the faults real ledgers have — bad check digits, unreadable dates, unknown sites,
// an ID number twice, an incomplete certificate. Deterministic for a seed.
import { addDays } from '../../functions/shared/calendar.ts';
import { residentIdCheckChar } from '../../functions/shared/identity-numbers.ts';

export interface Ledger {
  csv: string;
  /** Data rows (the header not counted). */
  rows: number;
  /** Rows that must be refused. */
  faulty: number;
  /** Distinct people the good rows name. */
  people: number;
}

const HEADER = [
  '姓名',
  '身份证号',
  '工号',
  '所属厂区',
  '手机',
  '证书体系',
  '证书类别',
  '证书编号',
  '发证日期',
  '有效期至',
  '工牌UID',
];

export function generateLedger(
  people: number,
  opts: { seed?: number; siteCode: string; today: string },
): Ledger {
  let state = opts.seed ?? 7;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const lines: string[][] = [HEADER];
  let faulty = 0;
  let goodPeople = 0;
  const base = Math.floor(random() * 1000);
  for (let i = 0; i < people; i++) {
    const birth = addDays('1965-01-01', (base + i * 3) % 12000).replaceAll('-', '');
    // Birth days repeat every 4,000 people: the sequence moves on each round, so a ledger of
    // any size up to ~500,000 people has no two people with one ID number by accident.
    const sequence = (i + 7 * Math.floor(i / 4000)) % 1000;
    const first17 = `330106${birth}${String(sequence).padStart(3, '0')}`;
    let id = `${first17}${residentIdCheckChar(first17)}`;
    const issued = addDays(opts.today, -Math.floor(random() * 900) - 30);
    const expires = addDays(issued, 4 * 365 - 2);
    const badge = `0B${String(i + (opts.seed ?? 7) * 100_000).padStart(10, '0')}`;
    const fault = i % 20;
    let issuedText = issued;
    let site = opts.siteCode;
    if (fault === 3) {
      id = `${first17}${residentIdCheckChar(first17) === '1' ? '2' : '1'}`; // a typo in the check digit
      faulty += 1;
    } else if (fault === 7) {
      issuedText = '2024-02-30'; // a date that does not exist
      faulty += 1;
    } else if (fault === 11) {
      site = 'NO-SUCH-SITE';
      faulty += 1;
    } else goodPeople += 1;
    const name = `工人${i}`;
    lines.push([
      name,
      id,
      `E${i}`,
      site,
      `138${String(i).padStart(8, '0')}`,
      '特种设备',
      'N1',
      `TS-N1-${id.slice(-8)}-${i}`,
      issuedText.replaceAll('-', '/'),
      expires,
      badge,
    ]);
    // Every fifth person holds a second certificate, on a continuation row (merged cells).
    if (i % 5 === 0 && fault !== 3 && fault !== 11) {
      lines.push(['', '', '', '', '', '特种设备', 'Q2', `TS-Q2-${id.slice(-8)}-${i}`, issued, expires, '']);
      if (fault === 7) faulty += 0; // the continuation row itself reads well
    }
    // Every 50th person appears twice (a duplicate line): the second is unchanged.
    if (i % 50 === 1 && fault !== 3 && fault !== 7 && fault !== 11)
      lines.push([name, id, `E${i}`, site, `138${String(i).padStart(8, '0')}`, '', '', '', '', '', '']);
  }
  // An incomplete certificate and a row with no ID number.
  lines.push([
    '缺证书',
    `${'33010619800101001'}${residentIdCheckChar('33010619800101001')}`,
    '',
    opts.siteCode,
    '',
    '特种设备',
    'N1',
    '',
    '',
    '',
    '',
  ]);
  lines.push(['无身份证', '', '', '', '', '', '', '', '', '', '']);
  faulty += 2;
  const csv = lines
    .map((l) => l.map((c) => (/[",\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c)).join(','))
    .join('\n');
  return { csv, rows: lines.length - 1, faulty, people: goodPeople };
}
