// `npm run job -- expiry-sweep [--date 2027-01-05]`: runs a scheduled job now against
// the running local stack (its emulator and table), as the scheduler would.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { JOBS } from '../../functions/jobs/schedules.ts';
import { isCalendarDate } from '../../functions/shared/calendar.ts';
import { LOCAL_DIR } from './dev-tokens.ts';

const usage = `Usage: npm run job -- <${JOBS.join('|')}> [--date YYYY-MM-DD] [--dry-run]`;
const { values, positionals } = parseArgs({
  options: { date: { type: 'string' }, 'dry-run': { type: 'boolean', default: false } },
  allowPositionals: true,
});
const job = positionals[0];
if (!job || !(JOBS as readonly string[]).includes(job)) {
  console.error(usage);
  process.exit(2);
}
if (values.date && !isCalendarDate(values.date)) {
  console.error(`--date must be a YYYY-MM-DD calendar date.\n${usage}`);
  process.exit(2);
}
if (job.startsWith('gate-allowlists')) {
  // They publish through the broker inside `npm start`, whose scheduler runs them.
  console.error(`${job} runs inside \`npm start\` (every minute / every 6 hours), where the gate broker is.`);
  process.exit(2);
}
const runtimeFile = join(LOCAL_DIR, 'runtime.json');
if (!existsSync(runtimeFile)) {
  console.error('The local stack is not running: start it with `npm start` first.');
  process.exit(1);
}
Object.assign(process.env, JSON.parse(readFileSync(runtimeFile, 'utf8')).environment, { LOG_LEVEL: 'WARN' });
const { handler } = await import('../../functions/jobs/handler.ts');
try {
  console.log(
    JSON.stringify(
      await handler({ job, ...(values.date ? { date: values.date } : {}), dryRun: values['dry-run'] }),
      null,
      2,
    ),
  );
} catch (error) {
  console.error(`${job} failed: ${(error as Error).message}`);
  process.exit(1);
}
