import * as z from 'zod';
import { REASON_CODES } from '../functions/domain/blacklist-rules.ts';
import { OPRF_BATCH, PARTNER_OPERATIONS } from '../functions/federation/federation-rules.ts';
import { calendarDate } from './common.ts';

const base64url = z.string().regex(/^[A-Za-z0-9_-]+$/);

export const CreatePartnerBody = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    contact: z.strictObject({
      name: z.string().trim().min(1).max(50),
      email: z.email().max(200).optional(),
      phone: z
        .string()
        .regex(/^\+?[0-9][0-9 -]{4,19}$/)
        .optional(),
    }),
    publicKeyPem: z.string().max(2000).meta({ description: 'The partner’s Ed25519 public key (SPKI PEM)' }),
    operations: z.array(z.enum(PARTNER_OPERATIONS)).min(1).max(3),
    deliveryUrl: z.string().max(500).optional().meta({
      format: 'uri',
      description:
        'Where our entries’ changes are POSTed, signed: https to a public host (no userinfo; private, loopback, link-local and metadata addresses refused here and again on the resolved address at delivery)',
    }),
  })
  .meta({ id: 'CreatePartnerBody' });

export const UpdatePartnerBody = z
  .strictObject({
    state: z.enum(['active', 'suspended']).optional().meta({
      description:
        'suspended: its signed requests are refused (`unknown_key`), nothing is delivered to it and its entries no longer land; active again lets it back',
    }),
    publicKeyPem: z.string().max(2000).optional().meta({
      description:
        'A new Ed25519 public key (SPKI PEM): requests signed with the old one are refused at once',
    }),
  })
  .refine((b) => b.state !== undefined || b.publicKeyPem !== undefined, {
    message: 'nothing_to_change',
    path: ['state'],
  })
  .meta({ id: 'UpdatePartnerBody' });

export const FederationKeys = z
  .object({
    keyId: z.string(),
    publicKeyPem: z.string().meta({ description: 'Our Ed25519 key: verifies our deliveries' }),
    oprf: z.object({ suite: z.literal('P256-SHA256'), mode: z.literal('VOPRF'), publicKey: z.string() }),
  })
  .meta({ id: 'FederationKeys' });

export const Partner = z
  .object({
    partnerId: z.string(),
    name: z.string(),
    contact: z.object({ name: z.string(), email: z.string().optional(), phone: z.string().optional() }),
    publicKeyPem: z.string(),
    operations: z.array(z.enum(PARTNER_OPERATIONS)),
    deliveryUrl: z.string().optional(),
    state: z.enum(['active', 'suspended']),
    createdAt: z.string(),
    evaluationsToday: z.number().int().optional(),
  })
  .meta({ id: 'Partner' });

export const PartnerList = z.object({ items: z.array(Partner) }).meta({ id: 'PartnerList' });

export const OprfBody = z
  .strictObject({
    blindedElements: z
      .array(
        base64url
          .length(44)
          .meta({ description: 'A blinded P-256 element, compressed SEC1 (33 bytes), base64url' }),
      )
      .min(1)
      .max(OPRF_BATCH),
  })
  .meta({ id: 'OprfBody' });

export const OprfAnswer = z
  .object({
    suite: z.literal('P256-SHA256'),
    mode: z.literal('VOPRF'),
    evaluation: z
      .string()
      .meta({ description: 'RFC 9497 Evaluation (elements and DLEQ proof), serialized, base64url' }),
    publicKey: z.string().meta({ description: 'The service’s OPRF public key (verify the proof with it)' }),
  })
  .meta({ id: 'OprfAnswer' });

const Pseudonym = base64url.length(43).meta({ description: 'RFC 9497 output (32 bytes), base64url' });

export const InboundEntries = z
  .strictObject({
    entries: z
      .array(
        z.strictObject({
          entryRef: z.string().regex(/^[A-Za-z0-9_.:-]{1,80}$/),
          action: z.enum(['add', 'remove']),
          pseudonym: Pseudonym,
          reasonCode: z.enum(REASON_CODES),
          organisation: z.string().trim().max(100).default(''),
          createdOn: calendarDate,
          expiresOn: calendarDate,
        }),
      )
      .min(1)
      .max(100),
  })
  .meta({ id: 'InboundEntries' });

export const InboundAnswer = z.object({ accepted: z.number().int() }).meta({ id: 'InboundAnswer' });

export const FeedQuery = z.strictObject({
  since: z
    .string()
    .max(120)
    .optional()
    .meta({ description: 'The cursor of the previous page; absent: from the start' }),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const FeedPage = z
  .object({
    items: z.array(
      z.object({
        entryRef: z.string(),
        version: z.number().int(),
        action: z.enum(['add', 'remove', 'expire']),
        pseudonym: z.string(),
        reasonCode: z.enum(REASON_CODES),
        organisation: z.string(),
        createdOn: z.string(),
        expiresOn: z.string(),
        at: z.string(),
      }),
    ),
    cursor: z
      .string()
      .optional()
      .meta({ description: 'Pass as `since` for the next page; absent when nothing came' }),
  })
  .meta({ id: 'FeedPage' });
