// Runs before every unit test file: the checks the emulator projects also switch on, and
// nothing else — unit tests reach no emulator, so they pay for no table or queue.
Object.assign(process.env, {
  LOG_LEVEL: 'SILENT',
  METRICS: 'off',
  // Every response a test renders is checked against schemas/openapi.json.
  OPENAPI_RESPONSE_CHECK: '1',
  // A message rendered without one of its parameters throws (functions/shared/i18n/messages.ts).
  STRICT_MESSAGES: '1',
});
