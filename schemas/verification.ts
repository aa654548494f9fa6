import * as z from 'zod';
import { Certificate } from './certificates.ts';
import { PersonStatus } from './status.ts';

export const RegistrySettingsBody = z
  .strictObject({
    unifiedSocialCreditCode: z.string().trim().toUpperCase().length(18),
    clientCertificateSecretId: z
      .string()
      .min(1)
      .max(2048)
      .optional()
      .meta({ description: 'Secrets Manager secret (name or ARN) holding {certificatePem, privateKeyPem}' }),
  })
  .meta({ id: 'RegistrySettingsBody' });

export const RegistrySettings = z
  .object({
    unifiedSocialCreditCode: z.string(),
    clientCertificateSecretId: z.string().optional(),
    updatedAt: z.string(),
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
