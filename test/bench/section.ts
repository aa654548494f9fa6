// One benchmark section in its own process: the handlers' adapters are created once per
// process (as per Lambda container), so each section gets a fresh set for its own emulator.
const section = process.argv[2];
const run: Record<string, () => Promise<string[]>> = {
  gate: async () => (await import('./gate.ts')).benchGate(),
  'gate-load': async () => (await import('./gate-load.ts')).benchGateLoad(),
  batch: async () => (await import('./batch.ts')).benchBatch(),
  import: async () => (await import('./import.ts')).benchImport(),
  sweep: async () => (await import('./sweep.ts')).benchSweep(),
  reads: async () => (await import('./reads.ts')).benchReads(),
  tickets: async () => (await import('./tickets.ts')).benchTickets(),
  forgery: async () => (await import('./forgery.ts')).benchForgery(),
  oprf: async () => (await import('./oprf.ts')).benchOprf(),
  propagation: async () => (await import('./propagation.ts')).benchPropagation(),
  notifications: async () => (await import('./notifications.ts')).benchNotifications(),
  archive: async () => (await import('./archive.ts')).benchArchive(),
  radar: async () => (await import('./radar.ts')).benchRadar(),
};
const bench = section ? run[section] : undefined;
if (!bench) {
  console.error(`Usage: tsx test/bench/section.ts <${Object.keys(run).join('|')}>`);
  process.exit(2);
}
for (const line of await bench()) console.log(line);
