// What a registry says about one certificate: the gateway contract's record
// (docs/registry-contract.md). Data only, so the pure verdict rules can use it.

import * as z from 'zod';
import { isCalendarDate } from '../shared/calendar.ts';
import { SCHEMES } from './scheme-rules.ts';

const date = z.string().refine(isCalendarDate);

export const RegistryRecord = z.object({
  scheme: z.enum(SCHEMES),
  number: z.string(),
  category: z.string(),
  subType: z.string().nullish(),
  holderName: z.string(),
  holderFormerNames: z.array(z.string()).default([]),
  /** Masked by the registry: first 4 and last 4 characters. */
  holderIdNumberMasked: z.string().nullish(),
  issuedOn: date,
  expiresOn: date,
  status: z.enum(['valid', 'expired', 'revoked']),
  revokedOn: date.nullish(),
  authority: z.string().nullish(),
});
export type RegistryRecord = z.infer<typeof RegistryRecord>;
