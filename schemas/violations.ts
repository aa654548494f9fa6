import * as z from 'zod';
import { VIOLATION_TYPES } from '../functions/violations/points.ts';
import { id } from './common.ts';

export const ViolationId = id('vio');
const ViolationType = z.enum(VIOLATION_TYPES);
const EvidenceKeys = z
  .array(z.string().regex(/^(documents|face)\/t\/[^/]+\/p\/[^/]+\/.{1,200}$/))
  .max(20)
  .meta({ description: 'Evidence already uploaded (admission’s presigned uploads): its S3 keys' });

export const RecordViolationBody = z
  .strictObject({
    personId: id('per'),
    type: ViolationType,
    occurredAt: z.iso.datetime({ offset: true }),
    siteId: id('site'),
    evidence: EvidenceKeys.optional(),
    note: z.string().trim().min(1).max(1000).optional(),
    serious: z.boolean().optional().meta({ description: 'With serious consequences (Order 30 Art. 25)' }),
  })
  .meta({ id: 'RecordViolationBody' });

export const DecideViolationBody = z
  .strictObject({
    note: z.string().trim().min(1).max(1000).optional(),
    serious: z.boolean().optional(),
  })
  .meta({ id: 'DecideViolationBody' });

export const Violation = z
  .object({
    violationId: ViolationId,
    personId: z.string(),
    type: ViolationType,
    occurredAt: z.string(),
    occurredOn: z.string(),
    siteId: z.string(),
    evidence: z.array(z.string()),
    note: z.string().optional(),
    serious: z.boolean().optional(),
    status: z.enum(['proposed', 'confirmed', 'dismissed']),
    points: z.number().int().optional(),
    source: z.enum(['manual', 'gate', 'dispatch']),
    recordedAt: z.string(),
    decidedAt: z.string().optional(),
    decisionNote: z.string().optional(),
  })
  .meta({ id: 'Violation' });

export const PersonViolations = z
  .object({
    items: z.array(Violation),
    pointsInForce: z.number().int(),
    threshold: z.number().int(),
    windowMonths: z.number().int(),
  })
  .meta({ id: 'PersonViolations' });

export const Courses = z
  .object({
    suspended: z.boolean(),
    since: z.string().optional(),
    items: z.array(
      z.object({
        courseId: z.string(),
        completedAt: z.string().optional(),
        evidence: z.array(z.string()).optional(),
      }),
    ),
  })
  .meta({ id: 'Courses' });

export const CompleteCourseBody = z
  .strictObject({ evidence: EvidenceKeys.optional(), note: z.string().trim().min(1).max(500).optional() })
  .meta({ id: 'CompleteCourseBody' });

export const ReinstateBody = z
  .strictObject({ note: z.string().trim().min(1).max(500) })
  .meta({ id: 'ReinstateBody' });

export const PointsPolicy = z
  .strictObject({
    points: z.strictObject(
      Object.fromEntries(VIOLATION_TYPES.map((t) => [t, z.number().int().min(0).max(100)])) as Record<
        (typeof VIOLATION_TYPES)[number],
        z.ZodNumber
      >,
    ),
    threshold: z.number().int().min(1).max(100),
    windowMonths: z.number().int().min(1).max(60),
  })
  .meta({ id: 'PointsPolicy' });

export const Reinstatement = z
  .object({
    personId: z.string(),
    color: z.enum(['green', 'yellow', 'red']),
    gateAccess: z.enum(['allowed', 'frozen']),
    dispatch: z.enum(['allowed', 'frozen']),
    reasons: z.array(z.string()),
  })
  .meta({ id: 'Reinstatement' });
