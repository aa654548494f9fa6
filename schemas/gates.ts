// The gate-device contract (docs/gate-protocol.md will describe the MQTT side): what a
// gate publishes on gates/{gateId}/scan and receives on gates/{gateId}/decision.
import * as z from 'zod';
import { FatigueWindow } from './status.ts';

/** A gate id names its tenant and site: `<tenantId>:<siteId>:<gate>` (also the IoT thing name). */
export const GateId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,62}:site_[0-9A-Za-z]{10,40}:[A-Za-z0-9_-]{1,32}$/);

/** The special-work types of GB 30871 (work tickets, 电子作业票). */
export const WORK_TYPES = [
  'hot_work',
  'confined_space',
  'blind_plate',
  'work_at_height',
  'lifting',
  'temporary_electricity',
  'excavation',
  'road_closure',
] as const;
export const WorkType = z
  .enum(WORK_TYPES)
  .meta({ id: 'WorkType', description: 'GB 30871 special-work type' });

export const GateScan = z
  .strictObject({
    scanId: z
      .string()
      .min(8)
      .max(64)
      .regex(/^[A-Za-z0-9_-]+$/),
    badgeUid: z
      .string()
      .regex(/^[0-9A-Fa-f]{8,20}$/)
      .meta({ description: 'NFC UID, hex' }),
    direction: z.enum(['in', 'out']),
    at: z.iso.datetime({ offset: true }),
    workType: WorkType.optional().meta({
      description: 'The work ticket’s type, when the gate reads the ticket presented with the badge',
    }),
  })
  .meta({ id: 'GateScan' });

export const GateDecision = z
  .object({
    scanId: z.string(),
    decision: z.enum(['allow', 'deny']),
    reason: z.string(),
    person: z
      .object({ personId: z.string(), nameMasked: z.string(), color: z.enum(['green', 'yellow', 'red']) })
      .optional(),
  })
  .meta({ id: 'GateDecision' });

export const CreateGateBody = z
  .strictObject({
    gate: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,32}$/)
      .meta({ description: 'Gate name within the site, e.g. east-1' }),
    name: z.string().trim().min(1).max(100).optional(),
  })
  .meta({ id: 'CreateGateBody' });

export const AllowlistKey = z
  .object({
    kty: z.literal('EC'),
    crv: z.literal('P-256'),
    x: z.string(),
    y: z.string(),
    kid: z.string(),
    alg: z.literal('ES256'),
    use: z.literal('sig'),
  })
  .meta({ id: 'AllowlistKey', description: 'JWK (RFC 7517) of the allowlist signing key' });

export const AllowlistKeys = z
  .object({ keys: z.array(AllowlistKey) })
  .meta({ id: 'AllowlistKeys', description: 'JWK Set of the keys that sign gate allowlists' });

export const GateCredentials = z
  .object({
    gateId: GateId,
    siteId: z.string(),
    certificatePem: z.string(),
    privateKeyPem: z.string().meta({ description: 'Returned once, never stored' }),
    caPem: z.string().optional(),
    mqttUrl: z.string(),
    topics: z.object({ scan: z.string(), decision: z.string(), allowlist: z.string() }),
    allowlistKey: AllowlistKey.meta({
      description: 'The public key that signs allowlists (also at GET /gates/allowlist-keys)',
    }),
  })
  .meta({ id: 'GateCredentials' });

export const GateList = z
  .object({
    items: z.array(
      z.object({
        gateId: GateId,
        siteId: z.string(),
        name: z.string(),
        status: z.enum(['provisioning', 'active', 'failed', 'retired']),
        createdAt: z.string(),
      }),
    ),
    allowlist: z
      .object({ version: z.number().int(), issuedAt: z.string(), parts: z.number().int().optional() })
      .nullable()
      .meta({ description: 'The site’s last published offline allowlist; null before the first' }),
  })
  .meta({ id: 'GateList' });

export const HeatmapPerson = z
  .object({
    personId: z.string(),
    nameMasked: z.string(),
    color: z.enum(['green', 'yellow', 'red']),
    gateAccess: z.enum(['allowed', 'frozen']),
    currentSite: z
      .object({ siteId: z.string(), name: z.string().optional(), since: z.string(), gateId: z.string() })
      .nullable()
      .meta({ description: 'Where the person is checked in now; null when off site' }),
    lastJobs: z
      .array(
        z.object({
          siteId: z.string(),
          siteName: z.string().optional(),
          start: z.string(),
          end: z.string().optional(),
          workTypes: z.array(z.string()),
          workTypesFrom: z.enum(['tickets', 'gates']).meta({
            description: 'Closed work tickets overlapping the shift, or (without one) what the gate recorded',
          }),
          ticketIds: z.array(z.string()).optional(),
        }),
      )
      .meta({ description: 'The last 3 jobs (shifts), newest first, with the work types of their tickets' }),
    certificates: z.array(
      z.object({
        certificateId: z.string(),
        category: z.string(),
        color: z.enum(['green', 'yellow', 'red']),
        current: z.boolean(),
        expiresOn: z.string(),
        daysLeft: z.number().int(),
        valid: z.boolean().meta({ description: 'In force today and not red' }),
      }),
    ),
    fatigue: FatigueWindow,
  })
  .meta({ id: 'HeatmapPerson' });

export const HeatmapQuery = z.strictObject({
  color: z.enum(['green', 'yellow', 'red']).optional(),
  category: z
    .string()
    .min(1)
    .max(40)
    .optional()
    .meta({ description: 'Only people holding a certificate in force of this category' }),
});

export const BindBadgeBody = z
  .strictObject({
    badgeUid: z
      .string()
      .trim()
      .regex(/^[0-9A-Fa-f]{8,20}$/)
      .transform((s) => s.toUpperCase()),
  })
  .meta({ id: 'BindBadgeBody' });

export const Badge = z
  .object({
    badgeUid: z.string(),
    personId: z.string(),
    boundAt: z.string(),
    replacedPersonId: z.string().optional(),
  })
  .meta({ id: 'Badge' });
