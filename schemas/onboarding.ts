// Admission of outside workers (SPEC O1) and the consent ledger it rests on (PIPL).
import * as z from 'zod';
import { id } from './common.ts';
import { CreatePersonBody, PersonId } from './people.ts';
import { SubcontractorId } from './subcontractors.ts';

export const OnboardingId = id('onb');
const Purpose = z.enum(['personal_information', 'face', 'alliance_sharing']);

export const ConsentText = z
  .object({ purpose: Purpose, version: z.string(), language: z.enum(['zh', 'en']), text: z.string() })
  .meta({ id: 'ConsentText' });
export const ConsentTextList = z.object({ items: z.array(ConsentText) }).meta({ id: 'ConsentTextList' });

export const ConsentBody = z
  .strictObject({
    purpose: Purpose,
    textVersion: z
      .string()
      .max(20)
      .meta({ description: 'The version of the text the person read (GET /consent-texts)' }),
    language: z.enum(['zh', 'en']).default('zh'),
    channel: z.enum(['app', 'paper', 'kiosk']),
  })
  .meta({ id: 'ConsentBody' });

export const Consent = z
  .object({
    consentId: z.string(),
    personId: PersonId,
    purpose: Purpose,
    textVersion: z.string(),
    language: z.enum(['zh', 'en']),
    channel: z.enum(['app', 'paper', 'kiosk']),
    givenAt: z.string(),
    collectedBy: z.string(),
    withdrawnAt: z.string().optional(),
    withdrawnBy: z.string().optional(),
  })
  .meta({ id: 'Consent' });
export const ConsentList = z
  .object({
    items: z.array(Consent),
    standing: z
      .array(Purpose)
      .meta({ description: 'Purposes whose latest consent is given and not withdrawn' }),
  })
  .meta({ id: 'ConsentList' });

export const StartOnboardingBody = z
  .strictObject({
    personId: PersonId.optional().meta({ description: 'A person already registered; or give `person`' }),
    person: CreatePersonBody.omit({ employer: true })
      .optional()
      .meta({ description: 'A worker not yet registered: registered as this subcontractor’s' }),
    consents: z.array(ConsentBody).max(3).optional().meta({
      description:
        'Consents collected with the registration (paper or kiosk); a new person needs personal_information among them',
    }),
    subcontractorId: SubcontractorId,
  })
  .refine((b) => (b.personId === undefined) !== (b.person === undefined), {
    message: 'person_or_person_id',
    path: ['personId'],
  })
  .meta({ id: 'StartOnboardingBody' });

export const UploadBody = z
  .strictObject({
    kind: z.enum(['id_card', 'certificate']),
    contentType: z.enum(['image/jpeg', 'image/png']),
  })
  .meta({ id: 'UploadBody' });
export const Upload = z
  .object({
    key: z.string(),
    uploadUrl: z
      .string()
      .meta({ description: 'PUT the image here within 5 minutes, with this Content-Type' }),
    contentType: z.string(),
    expiresAt: z.string(),
  })
  .meta({ id: 'Upload' });

export const LivenessSession = z
  .object({
    sessionId: z.string(),
    expiresAt: z
      .string()
      .meta({ description: 'A session is single-use and lapses ~3 minutes after creation' }),
  })
  .meta({ id: 'LivenessSession' });

export const FaceMatchBody = z
  .strictObject({
    imageKey: z.string().max(300).meta({ description: 'An uploaded id_card or certificate image' }),
  })
  .meta({ id: 'FaceMatchBody' });
export const DocumentBody = z
  .strictObject({
    certificateId: z
      .string()
      .max(60)
      .meta({ description: 'The certificate as typed (POST /people/{id}/certificates)' }),
    imageKey: z.string().max(300),
    flashImageKey: z.string().max(300).optional().meta({
      description: 'A second photo of the same card with the phone’s flash on (the seal’s answer to it)',
    }),
  })
  .meta({ id: 'DocumentBody' });
export const IdentityBody = z
  .strictObject({
    idNumber: z
      .string()
      .max(40)
      .meta({ description: 'Read from the ID card; must be the person’s own', writeOnly: true }),
  })
  .meta({ id: 'IdentityBody' });
export const ReviewBody = z
  .strictObject({ decision: z.enum(['admit', 'refuse']), note: z.string().trim().min(2).max(500) })
  .meta({ id: 'OnboardingReviewBody' });

const Step = z.object({
  status: z.enum(['pending', 'passed', 'review', 'failed']),
  reason: z.string().optional(),
  at: z.string(),
});
/** A face step keeps its outcome after the face data is deleted (PIPL), and says when that was. */
const FaceStep = Step.extend({
  faceDataDeletedAt: z
    .string()
    .optional()
    .meta({ description: 'When the face images and results were deleted' }),
});
const Evidence = z.object({ key: z.string(), sha256: z.string() });

export const Onboarding = z
  .object({
    onboardingId: OnboardingId,
    personId: PersonId,
    subcontractorId: SubcontractorId,
    status: z.enum(['in_progress', 'review', 'admitted', 'refused']),
    reason: z.string().optional(),
    steps: z.object({
      liveness: FaceStep.extend({
        sessionId: z.string().optional(),
        confidence: z.number().optional(),
        referenceImage: Evidence.optional(),
      }).optional(),
      faceMatch: FaceStep.extend({
        similarity: z.number().optional(),
        image: Evidence.optional(),
      }).optional(),
      document: Step.extend({
        image: Evidence.optional(),
        source: z.enum(['qr', 'ocr']).optional(),
        mismatches: z.array(z.string()).optional(),
        unreadable: z.array(z.string()).optional(),
        forgery: z
          .object({
            risk: z.number(),
            signals: z.array(
              z.object({
                code: z.string(),
                confidence: z.number(),
                detail: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
              }),
            ),
          })
          .optional(),
      }).optional(),
      registry: Step.extend({ outcome: z.string().optional() }).optional(),
      identity: Step.optional(),
    }),
    review: z
      .object({ decision: z.enum(['admit', 'refuse']), note: z.string(), by: z.string(), at: z.string() })
      .optional(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Onboarding' });
export type Onboarding = z.infer<typeof Onboarding>;
export type Consent = z.infer<typeof Consent>;
