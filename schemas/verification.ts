import * as z from 'zod';
import { Certificate } from './certificates.ts';
import { PersonStatus } from './status.ts';

export const RegistrySettingsBody = z
  .strictObject({
    unifiedSocialCreditCode: z.string().trim().toUpperCase().length(18),
    clientCertificate: z
      .strictObject({
        certificatePem: z.string().min(1).max(16_384),
        privateKeyPem: z.string().min(1).max(16_384),
      })
      .nullable()
      .optional()
      .meta({
        description:
          'The tenant’s mTLS client certificate for the registry gateway (PEM). Write-only: kept in a secret named after the tenant, never returned. Omit to keep the current one; null to stop using one.',
      }),
  })
  .meta({ id: 'RegistrySettingsBody' });

export const RegistrySettings = z
  .object({
    unifiedSocialCreditCode: z.string(),
    clientCertificate: z
      .object({ subject: z.string(), validTo: z.string(), fingerprintSha256: z.string() })
      .optional()
      .meta({ description: 'What identifies the stored client certificate (never the key)' }),
    updatedAt: z.string(),
    verificationBatchId: z.string().optional().meta({
      description:
        'When the connection is new or changed: the batch checking every certificate the registry never answered for (GET /verifications/batches/{batchId})',
    }),
    warnings: z
      .array(z.string())
      .optional()
      .meta({ description: 'e.g. uscc_check_char: an early pilot code failing its checksum' }),
  })
  .meta({ id: 'RegistrySettings' });

export const VerificationResult = z
  .object({
    certificate: Certificate,
    result: z.enum(['valid', 'expired', 'revoked', 'not_found', 'mismatch', 'name_review', 'unavailable']),
    unavailableReason: z.string().optional(),
    mismatches: z
      .array(
        z.object({
          field: z.string(),
          ours: z.string().nullable(),
          registry: z.string().nullable(),
          nameMatch: z.string().optional(),
        }),
      )
      .optional(),
    lastAnsweredAt: z.string().optional(),
    status: PersonStatus,
  })
  .meta({ id: 'VerificationResult' });

export const WorkerCode = z
  .object({
    code: z.string().meta({
      description:
        'Compact JWS (ES256, typ worker-code+jws): not a URL. Verify online with POST /verify, offline with GET /.well-known/jwks.json',
    }),
    validFrom: z.string(),
    validUntil: z
      .string()
      .meta({ description: 'End of the 2-hour window (windows start at even UTC hours)' }),
  })
  .meta({ id: 'WorkerCode' });

export const VerifyCodeBody = z
  .strictObject({ code: z.string().min(20).max(2000) })
  .meta({ id: 'VerifyCodeBody' });

export const CodeVerification = z
  .object({
    valid: z.boolean(),
    reason: z
      .enum([
        'bad_signature',
        'unknown_key',
        'wrong_kind',
        'expired',
        'not_yet_valid',
        'revoked',
        'other_tenant',
        'unknown_person',
      ])
      .optional(),
    personId: z.string().optional(),
    nameMasked: z.string().optional(),
    validUntil: z.string().optional(),
    status: z
      .object({
        color: z.enum(['green', 'yellow', 'red']),
        gateAccess: z.string(),
        reasons: z.array(z.string()),
      })
      .optional()
      .meta({ description: 'The person’s status now, not when the code was issued' }),
    certificates: z
      .array(
        z.object({
          certificateId: z.string(),
          scheme: z.string(),
          category: z.string(),
          numberMasked: z.string(),
          expiresOn: z.string(),
          color: z.enum(['green', 'yellow', 'red']),
          registry: z.object({
            outcome: z.string().nullable(),
            answeredAt: z.string().nullable(),
            ageMinutes: z.number().nullable(),
            askedNow: z
              .boolean()
              .meta({ description: 'The answer was older than the tenant allows and was asked again' }),
            unavailable: z.string().optional(),
          }),
        }),
      )
      .optional(),
  })
  .meta({ id: 'CodeVerification' });
