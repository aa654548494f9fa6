// Kill switches for the riskiest automatic paths (issue 30), operator-wide: the functions'
// KILL_SWITCHES environment variable (CDK context `-c killSwitches=travel-alert,…`, or set
// on the functions directly for an immediate effect — docs/operations.md). Chosen over
// AppConfig for now: no extra call on the gate path and nothing to deploy beside the stack;
// over a tenant setting because the switch is for the operator when a path misbehaves
// for everyone (a flood of false alerts), not a tenant's policy.
//   travel-alert  the 50 km / 24 h alert is not raised (the check-ins are still recorded)
//   forgery-lock  a forgery risk over the threshold is recorded but does not lock the
//                 certificate for review (the score stays for a later look)
import { logger } from './logger.ts';

export const KILL_SWITCHES = ['travel-alert', 'forgery-lock'] as const;
export type KillSwitch = (typeof KILL_SWITCHES)[number];

export function switchedOff(name: KillSwitch): boolean {
  const off = (process.env.KILL_SWITCHES ?? '')
    .split(',')
    .map((s) => s.trim())
    .includes(name);
  if (off) logger.warn('kill switch on: path skipped', { killSwitch: name });
  return off;
}
