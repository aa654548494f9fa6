// Electronic work tickets (电子作业票, SPEC X4): what a dispatcher submits, what the ticket
// looks like through its lifecycle, and the practical re-exam record the 6-month rule needs.
import * as z from 'zod';
import { calendarDate, id } from './common.ts';
import { type WORK_TYPES, WorkType } from './gates.ts';
import { PersonId } from './people.ts';
import { SiteId } from './sites.ts';

export const TicketId = id('tkt');

const instant = z.iso.datetime({ offset: true });
/**
 * The roles a ticket of each type may name, closed per type: a role the rules do not know
 * would be a role no certificate rule checks (ticket-types.ts says what each one needs).
 */
export const TICKET_ROLES = {
  hot_work: ['welder', 'cutter', 'fire_watcher'],
  confined_space: ['entrant', 'rescuer'],
  blind_plate: ['fitter'],
  work_at_height: ['worker', 'scaffolder'],
  lifting: ['operator', 'signaller', 'rigger'],
  temporary_electricity: ['electrician'],
  excavation: ['worker', 'machine_operator'],
  road_closure: ['worker'],
} as const satisfies Record<(typeof WORK_TYPES)[number], readonly string[]>;
export type TicketRole<T extends keyof typeof TICKET_ROLES = keyof typeof TICKET_ROLES> =
  (typeof TICKET_ROLES)[T][number];

const ALL_ROLES = [...new Set(Object.values(TICKET_ROLES).flat())] as [TicketRole, ...TicketRole[]];
// Parsed as a string so that a role outside the type is answered with that type's roles
// (the refinement below), listed as an enum in the OpenAPI document.
const role = z
  .string()
  .regex(/^[a-z_]{2,32}$/)
  .meta({
    enum: ALL_ROLES,
    description: `The worker’s role on the ticket; each type has its own roles: ${Object.entries(TICKET_ROLES)
      .map(([type, roles]) => `${type}: ${roles.join(', ')}`)
      .join('; ')}`,
  });

export const CreateWorkTicketBody = z
  .strictObject({
    siteId: SiteId,
    type: WorkType,
    grade: z
      .string()
      .regex(/^(special|[1-3])$/)
      .optional()
      .meta({ description: 'Required for graded types (hot work, work at height, lifting)' }),
    location: z.string().trim().min(1).max(200).meta({ description: 'Where on the site (unit, area)' }),
    plannedFrom: instant,
    plannedTo: instant,
    workers: z
      .array(z.strictObject({ personId: PersonId, role }))
      .min(1)
      .max(20)
      .refine((ws) => new Set(ws.map((w) => w.personId)).size === ws.length, { message: 'duplicate_person' }),
    shifts: z
      .array(z.strictObject({ from: instant, to: instant }))
      .max(62)
      .optional()
      .meta({
        description:
          'Planned shifts inside the window, where known: each within the tenant’s continuous-work limit and no 24 h over the daily limit (fatigue thresholds). The permit’s window is not a shift.',
      }),
    leaderId: PersonId.meta({ description: 'The work leader (作业负责人)' }),
    guardianId: PersonId.optional().meta({
      description: 'The guardian (监护人): does no other work while guarding',
    }),
    approverIds: z
      .array(PersonId)
      .min(1)
      .max(5)
      .refine((ids) => new Set(ids).size === ids.length, { message: 'duplicate_person' })
      .meta({ description: 'People (with a linked user account) whose signatures approve the ticket' }),
  })
  .superRefine((t, ctx) => {
    const roles: readonly string[] = TICKET_ROLES[t.type] ?? [];
    t.workers?.forEach((w, i) => {
      if (roles.length && !roles.includes(w.role))
        ctx.addIssue({
          code: 'custom',
          path: ['workers', i, 'role'],
          message: 'role_not_in_type',
          params: { type: t.type, roles: roles.join(', ') },
        });
    });
  })
  .meta({ id: 'CreateWorkTicketBody' });

export const TICKET_STATES = [
  'draft',
  'approved',
  'active',
  'suspended',
  'closed',
  'cancelled',
  'expired',
] as const;

export const GasReadings = z
  .strictObject({
    oxygenPct: z.number().min(0).max(100),
    flammable: z
      .strictObject({
        volumePct: z.number().min(0).max(100),
        lowerExplosiveLimitPct: z.number().gt(0).max(100),
      })
      .optional()
      .meta({ description: 'Measured flammable gas and its lower explosive limit (both % by volume)' }),
  })
  .meta({ id: 'GasReadings' });

export const GasAnalysisBody = z
  .strictObject({
    takenAt: instant,
    analystId: PersonId,
    readings: GasReadings,
  })
  .meta({ id: 'GasAnalysisBody' });

export const ApprovalBody = z
  .strictObject({ comment: z.string().trim().max(500).optional() })
  .meta({ id: 'TicketApprovalBody' });

export const TicketTransitionBody = z
  .strictObject({ reason: z.string().trim().max(500).optional() })
  .meta({ id: 'TicketTransitionBody' });

export const WorkTicket = z
  .object({
    ticketId: TicketId,
    siteId: z.string(),
    type: WorkType,
    grade: z.string().optional(),
    location: z.string(),
    plannedFrom: z.string(),
    plannedTo: z.string(),
    workers: z.array(z.object({ personId: z.string(), role: z.string() })),
    shifts: z.array(z.object({ from: z.string(), to: z.string() })).optional(),
    leaderId: z.string(),
    guardianId: z.string().optional(),
    approverIds: z.array(z.string()),
    names: z
      .record(z.string(), z.string())
      .optional()
      .meta({ description: 'Masked names of the people on it' }),
    status: z.enum(TICKET_STATES),
    approvals: z.array(z.object({ personId: z.string(), at: z.string(), comment: z.string().optional() })),
    gasAnalyses: z.array(
      z.object({
        takenAt: z.string(),
        analystId: z.string(),
        readings: GasReadings,
        pass: z.boolean(),
        failures: z.array(z.string()),
      }),
    ),
    suspension: z.object({ personId: z.string(), at: z.string(), reasons: z.array(z.string()) }).optional(),
    createdAt: z.string(),
    activatedAt: z.string().optional(),
    endedAt: z.string().optional(),
    endReason: z.string().optional(),
  })
  .meta({ id: 'WorkTicket' });

export const WorkTicketList = z.object({ items: z.array(WorkTicket) }).meta({ id: 'WorkTicketList' });

export const SiteTicketsQuery = z.strictObject({ siteId: SiteId });

export const PracticalReexamBody = z
  .strictObject({
    workType: WorkType,
    passedOn: calendarDate,
    examiner: z.string().trim().min(1).max(100).meta({ description: 'Who examined (name or organisation)' }),
  })
  .meta({ id: 'PracticalReexamBody' });

export const PracticalReexam = z
  .object({ personId: z.string(), workType: WorkType, passedOn: z.string(), recordedAt: z.string() })
  .meta({ id: 'PracticalReexam' });

export { PracticeDeclarationBody } from './people.ts';

export const PracticeDeclaration = z
  .object({
    personId: z.string(),
    workType: WorkType,
    lastPracticedOn: z.string(),
    source: z.string(),
    evidenceNote: z.string().optional(),
    declaredAt: z.string(),
  })
  .meta({ id: 'PracticeDeclaration' });

export const TicketDocument = z
  .object({
    jws: z.string().meta({
      description: 'Compact JWS (ES256, typ work-ticket+jws): verify with GET /.well-known/jwks.json',
    }),
    claims: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'TicketDocument' });

const token = z
  .string()
  .min(20)
  .max(8000)
  .regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);

export const VerifyTicketBody = z.strictObject({ token }).meta({ id: 'VerifyTicketBody' });

/** A ticket as anyone holding a board link or a QR code sees it: names masked, no person ids. */
const MaskedTicket = z.object({
  type: WorkType,
  grade: z.string().optional(),
  location: z.string(),
  plannedFrom: z.string(),
  plannedTo: z.string(),
  workers: z.array(z.object({ name: z.string(), role: z.string() })),
  leader: z.string(),
  guardian: z.string().optional(),
});

export const TicketVerification = z
  .object({
    valid: z.boolean(),
    reason: z.enum(['bad_signature', 'wrong_kind', 'expired', 'unknown_ticket']).optional(),
    ticketId: z.string().optional(),
    signedStatus: z.string().optional(),
    status: z.enum(TICKET_STATES).optional().meta({ description: 'The ticket’s state now (online check)' }),
    validUntil: z.string().optional(),
    peopleMatch: z
      .boolean()
      .optional()
      .meta({ description: 'QR code: the people on the ticket are still those it was signed for' }),
    ticket: MaskedTicket.extend({ siteId: z.string() })
      .optional()
      .meta({ description: 'QR code: the details the compact code leaves out (names masked)' }),
  })
  .meta({ id: 'TicketVerification' });

export const BoardLinkBody = z
  .strictObject({ validHours: z.number().int().min(1).max(168).default(12) })
  .meta({ id: 'BoardLinkBody' });

export const BoardLink = z
  .object({ token: z.string(), path: z.string(), expiresAt: z.string() })
  .meta({ id: 'BoardLink' });

export const BoardQuery = z.strictObject({ token });

export const PermitBoard = z
  .object({
    siteId: z.string(),
    generatedAt: z.string(),
    validUntil: z.string(),
    tickets: z.array(
      MaskedTicket.extend({
        ticketId: z.string(),
        status: z.enum(TICKET_STATES),
        lastGasAnalysis: z.object({ takenAt: z.string(), pass: z.boolean() }).optional(),
      }),
    ),
  })
  .meta({ id: 'PermitBoard' });
