// Notifications beyond the inbox (N1–N3): channel settings (secrets write-only), rules,
// a person's bindings (masked when read), the delivery log and the diagnosis.
import * as z from 'zod';
import { CHANNELS, RULE_KINDS } from '../functions/notifications/channel-rules.ts';
import { Cursor, id } from './common.ts';
import { PersonId } from './people.ts';

export const Channel = z.enum(CHANNELS);
export const RuleKind = z.enum(RULE_KINDS as [string, ...string[]]);
const secret = (what: string) =>
  z
    .string()
    .min(8)
    .max(512)
    .optional()
    .meta({ description: `${what}: write-only, kept in the tenant's secret; omit to keep the stored one` });
const field = z.string().trim().min(1).max(128);
const GroupMailbox = z
  .string()
  .regex(/^(SITE#site_[0-9A-Za-z]{10,40}#site_manager|ROLE#hr)$/)
  .meta({ description: 'SITE#<siteId>#site_manager or ROLE#hr: whose inbox messages the robot posts' });

export const ChannelSettingsBody = z
  .strictObject({
    wecom: z
      .strictObject({
        enabled: z.boolean(),
        corpId: field.optional(),
        agentId: z
          .string()
          .regex(/^[0-9]{1,12}$/)
          .optional(),
        secret: secret('The application’s secret'),
      })
      .optional(),
    dingtalk: z
      .strictObject({
        enabled: z.boolean(),
        appKey: field.optional(),
        agentId: z
          .string()
          .regex(/^[0-9]{1,16}$/)
          .optional(),
        appSecret: secret('The application’s AppSecret'),
      })
      .optional(),
    sms: z
      .strictObject({
        enabled: z.boolean(),
        provider: z.enum(['aliyun', 'aws']).default('aliyun').meta({
          description:
            'aliyun: Aliyun SMS (mainland numbers); aws: AWS End User Messaging from the deployment’s account',
        }),
        originationIdentity: z
          .string()
          .trim()
          .regex(/^[\w:/+.-]{2,256}$/)
          .optional()
          .meta({ description: 'aws: the phone number, sender id or pool (id or ARN) to send from' }),
        accessKeyId: field.optional(),
        accessKeySecret: secret('The RAM user’s AccessKey secret'),
        signName: z.string().trim().min(2).max(30).optional(),
        templateCode: z
          .string()
          .regex(/^SMS_[0-9]{3,16}$/)
          .optional(),
        monthlyQuota: z.number().int().min(0).max(1_000_000).default(0).meta({
          description:
            'Messages a month the product itself lets out (resets on the 1st, China time); 0 sends none',
        }),
      })
      .optional(),
    email: z.strictObject({ enabled: z.boolean() }).optional(),
    robots: z
      .array(
        z.strictObject({
          mailbox: GroupMailbox,
          provider: z.enum(['wecom', 'dingtalk']),
          webhook: z.string().trim().min(8).max(512).meta({
            description:
              'Write-only. WeCom: the webhook key or the whole webhook URL; DingTalk: the access_token or the whole URL',
          }),
          secret: z.string().min(8).max(128).optional().meta({
            description:
              'Write-only. A DingTalk robot’s signing secret (SEC…), when it uses the signature setting',
          }),
          keyword: z.string().trim().min(1).max(20).optional().meta({
            description: 'A DingTalk robot’s security keyword: every post carries it',
          }),
        }),
      )
      .max(50)
      .optional()
      .meta({
        description:
          'Group robots per mailbox; given, the list replaces the stored one (webhooks re-entered)',
      }),
  })
  .meta({ id: 'ChannelSettingsBody' });

const ChannelCheck = z.object({
  ok: z.boolean(),
  cause: z.string().optional(),
  providerCode: z.string().optional(),
});

export const ChannelSettingsView = z
  .object({
    wecom: z.object({
      enabled: z.boolean(),
      corpId: z.string().optional(),
      agentId: z.string().optional(),
      secretSet: z.boolean(),
    }),
    dingtalk: z.object({
      enabled: z.boolean(),
      appKey: z.string().optional(),
      agentId: z.string().optional(),
      appSecretSet: z.boolean(),
    }),
    sms: z.object({
      enabled: z.boolean(),
      provider: z.string(),
      originationIdentity: z.string().optional(),
      accessKeyId: z.string().optional(),
      accessKeySecretSet: z.boolean(),
      signName: z.string().optional(),
      templateCode: z.string().optional(),
      monthlyQuota: z.number().int(),
      usedThisMonth: z.number().int(),
    }),
    email: z.object({ enabled: z.boolean(), configured: z.boolean() }),
    robots: z.array(
      z.object({
        robotId: z.string(),
        mailbox: z.string(),
        provider: z.string(),
        keyword: z.string().optional(),
        webhookSet: z.boolean(),
        signed: z.boolean(),
      }),
    ),
    checks: z
      .record(z.string(), ChannelCheck)
      .optional()
      .meta({ description: 'The dry call made for each enabled channel when the settings were saved' }),
  })
  .meta({ id: 'ChannelSettings' });

export const NotificationRule = z.strictObject({
  channels: z
    .array(Channel)
    .max(4)
    .refine((c) => new Set(c).size === c.length, { message: 'duplicate_channel' }),
  mode: z.enum(['first_success', 'redundant']),
});

export const NotificationRules = z.strictObject({ rules: z.partialRecord(RuleKind, NotificationRule) }).meta({
  id: 'NotificationRules',
  description: 'Per kind of notification: ordered channels and mode (inbox always)',
});

export const BindingsBody = z
  .strictObject({
    wecomUserId: z.string().trim().min(1).max(64).optional(),
    dingtalkUserId: z.string().trim().min(1).max(64).optional(),
    phone: z
      .string()
      .regex(/^(\+?86)?1[3-9][0-9]{9}$/)
      .optional()
      .meta({ description: 'Mainland mobile number' }),
    employeeId: z.string().trim().min(1).max(40).optional(),
    phoneVerified: z
      .boolean()
      .optional()
      .meta({ description: 'Phone confirmed together with the employee id' }),
    email: z.email().max(254).optional(),
  })
  .meta({ id: 'BindingsBody' });

export const BindingsView = z
  .object({
    personId: PersonId,
    wecomUserId: z.string().optional(),
    wecomFollowing: z.boolean().optional(),
    dingtalkUserId: z.string().optional(),
    phoneMasked: z.string().optional(),
    employeeId: z.string().optional(),
    phoneVerified: z.boolean(),
    emailMasked: z.string().optional(),
    emailSuppressed: z.boolean().optional(),
  })
  .meta({ id: 'Bindings' });

const ChannelOutcome = z.object({
  channel: z
    .string()
    .meta({ description: 'wecom, dingtalk, sms, email, or robot:<robotId> for a group robot' }),
  state: z.enum(['sending', 'sent', 'delivered', 'failed', 'skipped', 'retry']).meta({
    description: 'sent: the provider accepted it; delivered: a receipt says it reached the handset (SMS)',
  }),
  cause: z.string().optional(),
  providerCode: z.string().optional(),
  fix: z.string().optional().meta({ description: 'What to do about the cause (the diagnosis’s fix code)' }),
  fixText: z.string().optional().meta({ description: 'The fix in the caller’s language' }),
  attempts: z
    .number()
    .int()
    .optional()
    .meta({ description: 'Tries of this channel, across the queue’s retries' }),
  updatedAt: z.string().optional(),
});

export const NotificationLog = z
  .object({
    items: z.array(
      z.object({
        messageId: z.string(),
        kind: z.string(),
        at: z.string(),
        delivered: z.boolean(),
        channels: z.array(ChannelOutcome),
      }),
    ),
  })
  .meta({ id: 'NotificationLog' });

export const NotificationDelivery = z
  .object({
    messageId: z.string(),
    kind: z.string(),
    personId: z.string(),
    createdAt: z.string(),
    delivered: z.boolean(),
    channels: z.array(ChannelOutcome),
  })
  .meta({ id: 'NotificationDelivery' });

export const MessageId = id('msg');

export const DiagnosisBody = z
  .strictObject({
    rule: RuleKind,
    personId: PersonId.optional().meta({
      description: 'One person; absent: everyone of the tenant, page by page',
    }),
    cursor: Cursor,
  })
  .meta({ id: 'DiagnosisBody' });

const Finding = z.object({
  cause: z.string(),
  channel: Channel.optional(),
  fix: z.string(),
  applicable: z
    .boolean()
    .meta({ description: 'POST /diagnostics/notifications/fixes applies it in one call' }),
  explanation: z.string(),
  fixText: z.string(),
  people: z
    .number()
    .int()
    .optional()
    .meta({ description: 'Tenant-wide: how many people the finding concerns' }),
  personIds: z.array(z.string()).optional(),
});

export const Diagnosis = z
  .object({
    rule: z.string(),
    channels: z.array(Channel),
    mode: z.string(),
    personId: z.string().optional(),
    findings: z.array(Finding),
    reachable: z.boolean().optional(),
    otherChannels: z
      .array(
        z.object({
          channel: Channel,
          reaches: z.enum(['now', 'if_enabled', 'no']),
          causes: z.array(z.string()),
          explanation: z.string(),
        }),
      )
      .optional()
      .meta({
        description:
          'One person: each channel the rule does not use — reaches them now (add it to the rule), if switched on, or not (and why)',
      }),
    otherChannelsSummary: z
      .array(
        z.object({
          channel: Channel,
          people: z.number().int(),
          now: z.number().int(),
          ifEnabled: z.number().int(),
          causes: z.record(z.string(), z.number().int()),
          explanation: z.string(),
        }),
      )
      .optional()
      .meta({ description: 'The tenant, this page: per channel outside the rule, how many it would reach' }),
    recent: z
      .array(z.object({ messageId: z.string(), kind: z.string(), at: z.string(), delivered: z.boolean() }))
      .optional(),
    unreachable: z
      .array(z.object({ personId: z.string(), nameMasked: z.string(), causes: z.array(z.string()) }))
      .optional(),
    nextCursor: z.string().optional(),
  })
  .meta({ id: 'NotificationDiagnosis' });

export const FixBody = z
  .discriminatedUnion('fix', [
    z.strictObject({ fix: z.literal('enable_channel'), channel: Channel }),
    z.strictObject({
      fix: z.literal('raise_sms_quota'),
      monthlyQuota: z.number().int().min(1).max(1_000_000),
    }),
    z.strictObject({ fix: z.literal('use_redundant_mode'), rule: RuleKind }),
    z.strictObject({ fix: z.literal('send_binding_guide'), personIds: z.array(PersonId).min(1).max(100) }),
    z.strictObject({ fix: z.literal('bind_phone'), personIds: z.array(PersonId).min(1).max(100) }).meta({
      description:
        'Sends the binding guide (how to have the phone verified) through a channel that reaches them',
    }),
  ])
  .meta({ id: 'NotificationFixBody' });

export const FixResult = z
  .object({
    fix: z.string(),
    applied: z.boolean(),
    guides: z
      .array(
        z.object({
          personId: z.string(),
          channel: Channel.optional(),
          sent: z.boolean(),
          cause: z.string().optional(),
        }),
      )
      .optional(),
  })
  .meta({ id: 'NotificationFixResult' });

export type ChannelSettingsBody = z.infer<typeof ChannelSettingsBody>;
export type ChannelSettingsView = z.infer<typeof ChannelSettingsView>;
export type BindingsBody = z.infer<typeof BindingsBody>;
export type BindingsView = z.infer<typeof BindingsView>;
export type DiagnosisBody = z.infer<typeof DiagnosisBody>;
export type Diagnosis = z.infer<typeof Diagnosis>;
export type FixBody = z.infer<typeof FixBody>;
export type FixResult = z.infer<typeof FixResult>;
