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
