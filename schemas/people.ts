import * as z from 'zod';
import { residentIdProblem } from '../functions/shared/identity-numbers.ts';
import { Cursor, calendarDate, id, Limit } from './common.ts';
import { WorkType } from './gates.ts';
import { SiteId } from './sites.ts';
import { Color } from './status.ts';

export const PersonId = id('per');

const Employer = z
  .strictObject({
    type: z.enum(['own', 'subcontractor']),
    subcontractorId: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/)
      .optional(),
  })
  .superRefine((e, ctx) => {
    if (e.type === 'subcontractor' && !e.subcontractorId) {
      ctx.addIssue({ code: 'custom', path: ['subcontractorId'], message: 'subcontractor_id_required' });
    }
  });

/** hr's word on when a person last did a kind of work before the product knew them. */
export const PracticeDeclarationBody = z
  .strictObject({
    workType: WorkType,
    lastPracticedOn: calendarDate.meta({
      description: 'The last day they did this work (not in the future)',
    }),
    source: z
      .string()
      .trim()
      .min(2)
      .max(200)
      .meta({ description: 'Where and for whom (employer, project): shown in the audit trail' }),
    evidenceNote: z.string().trim().max(500).optional().meta({
      description: 'Where the evidence is kept, if any (a previous employer’s letter, the paper file)',
    }),
  })
  .meta({ id: 'PracticeDeclarationBody' });

const PersonName = z.string().trim().min(1).max(50);
const IdNumber = z
  .string()
  .superRefine((v, ctx) => {
    const problem = residentIdProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: `id_number_${problem}` });
  })
  .meta({
    description: '18-character resident ID number (GB 11643-1999); never returned or logged',
    writeOnly: true,
  });
const Phone = z.string().regex(/^\+?[0-9][0-9 -]{4,19}$/);
const EmployeeId = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_./-]{0,31}$/, 'letters, digits, _ . / or -, at most 32')
  .meta({ description: 'The tenant’s own staff number (工号)' });

export const CreatePersonBody = z
  .strictObject({
    name: PersonName,
    idNumber: IdNumber,
    phone: Phone.optional(),
    employeeId: EmployeeId.optional(),
    employer: Employer.optional(),
    homeSiteId: SiteId.optional(),
    practice: z
      .array(PracticeDeclarationBody)
      .max(10)
      .refine((all) => new Set(all.map((d) => d.workType)).size === all.length, {
        message: 'practice_type_repeated',
      })
      .optional()
      .meta({
        description:
          'hr and group_admin only: when the person last did each kind of work before the product knew them (as POST /people/{id}/practice-declarations)',
      }),
  })
  .meta({ id: 'CreatePersonBody' });

export const UpdatePersonBody = z
  .strictObject({
    name: PersonName.meta({ description: 'The old name is kept as a former name' }),
    phone: Phone.nullable().meta({ description: 'null removes it' }),
    employeeId: EmployeeId.nullable().meta({ description: 'null removes it' }),
    homeSiteId: SiteId.nullable().meta({ description: 'null: no home site' }),
    employer: Employer,
    idNumber: IdNumber.meta({
      description:
        'group_admin only, with a reason: re-hashed, the alliance pseudonym recomputed, the certificates re-checked with the registry',
      writeOnly: true,
    }),
    reason: z.string().trim().min(2).max(500).meta({ description: 'Why the ID number is corrected' }),
  })
  .partial()
  .refine((b) => Object.keys(b).some((k) => k !== 'reason'), { message: 'no_change_given' })
  .refine((b) => b.idNumber === undefined || b.reason !== undefined, {
    message: 'reason_required',
    path: ['reason'],
  })
  .meta({ id: 'UpdatePersonBody' });

export const DepartureBody = z
  .strictObject({
    leftOn: calendarDate.meta({ description: 'The first day they no longer work here (China date)' }),
    reason: z.string().trim().min(2).max(500),
  })
  .meta({ id: 'DepartureBody' });

export const Person = z
  .object({
    personId: PersonId,
    name: z.string(),
    idNumberMasked: z.string().meta({ examples: ['3301**********123X'] }),
    phoneMasked: z.string().optional(),
    employeeId: z.string().optional(),
    formerNamesMasked: z.array(z.string()).optional(),
    employer: z.object({ type: z.enum(['own', 'subcontractor']), subcontractorId: z.string().optional() }),
    homeSiteId: z.string().optional(),
    color: Color,
    gateAccess: z.enum(['allowed', 'frozen']),
    dispatch: z.enum(['allowed', 'frozen']),
    erasedAt: z.string().optional().meta({
      description: 'A leaver past retention: their personal data was erased then (name reads 已删除)',
    }),
    statusComputedOn: z.string(),
    engagementEnd: z
      .object({
        on: calendarDate,
        reason: z.enum(['subcontractor_terminated', 'departed']),
        subcontractorId: z.string().optional(),
      })
      .optional()
      .meta({ description: 'From this day the person is out: gate, dispatch and status (red)' }),
    createdAt: z.string(),
    updatedAt: z.string().optional(),
  })
  .meta({ id: 'Person' });

export const PersonList = z
  .object({ items: z.array(Person), nextCursor: z.string().optional() })
  .meta({ id: 'PersonList' });

export const ListPeopleQuery = z
  .strictObject({
    status: z.enum(['current', 'departed']).default('current').meta({
      description:
        'current (default): the people who work here, by colour; departed: the leavers, whose day has come (no colour filter)',
    }),
    color: Color.optional(),
    siteId: SiteId.optional(),
    onSite: z
      .enum(['true', 'false'])
      .optional()
      .transform((v) => v === 'true')
      .meta({
        description:
          'true: the people checked in right now (at siteId, or anywhere), whatever their home site',
      }),
    cursor: Cursor,
    limit: Limit,
  })
  .refine((q) => q.status === 'current' || (!q.color && !q.onSite), {
    message: 'departed_with_filter',
    path: ['status'],
  });

export type Person = z.infer<typeof Person>;
