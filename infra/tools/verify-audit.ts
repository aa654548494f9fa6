// `npm run verify-audit -- <archive.zip>`: checks the tamper-evident audit chain an audit
// archive carries (POST /archives {scope: "audit", from, to}), offline. Exit 0: the chain
// holds; 1: a problem (each printed: the day, the record, what is wrong); 2: usage.
import { readFileSync } from 'node:fs';
import { checkAuditArchive } from '../../functions/reports/audit-archive-check.ts';

const file = process.argv.slice(2).find((a) => !a.startsWith('-'));
if (!file) {
  console.error('Usage: npm run verify-audit -- <archive.zip>');
  process.exit(2);
}
const result = await checkAuditArchive(new Uint8Array(readFileSync(file)));
for (const p of result.problems)
  console.log(
    `${p.day}  ${p.problem}${p.auditId ? `  ${p.auditId}` : ''}${p.detail ? `  (${p.detail})` : ''}`,
  );
console.log(
  result.problems.length
    ? `FAILED: ${result.problems.length} problem(s) in ${result.records} records over ${result.days} sealed day(s)`
    : `OK: ${result.records} records over ${result.days} sealed day(s); every hash, link, head and signature checks${
        result.unsealed
          ? ` (${result.unsealed} written after a seal made during their day: not covered yet)`
          : ''
      }`,
);
process.exit(result.problems.length ? 1 : 0);
