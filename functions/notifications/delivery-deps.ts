// What delivery is handed (the composition root wires it), and the tenant's channels as a
// delivery reads them: settings, credentials present, SMS used this month.
import type { Mailer } from '../domain/mailer.ts';
import type { NotificationKind } from '../domain/notifications.ts';
import type { Clock } from '../shared/clock.ts';
import type { WorkQueue } from '../shared/work-queue.ts';
import type { ChannelCredentials, ChannelSecrets } from './channel-credentials.ts';
import { type ChannelState, type NotificationRule, quotaMonth } from './channel-rules.ts';
import type { AwsSmsProviderPort, DingtalkChannel, SmsProvider, WecomChannel } from './channels.ts';
import type { ChannelSettings } from './notification-records.ts';
import type { NotificationStores } from './notification-stores.ts';

export interface DeliveryDeps {
  notifications: NotificationStores;
  credentials: ChannelCredentials;
  wecom: WecomChannel;
  dingtalk: DingtalkChannel;
  sms: SmsProvider;
  awsSms: AwsSmsProviderPort;
  mailer: Mailer;
  workQueue: WorkQueue;
  clock: Clock;
  /** The deployment's sender address (a verified SES identity or the SMTP account); none: no email. */
  mailFrom?: string;
  /** Whose inbox an undelivered alert goes to: the person's home site's managers. */
  people: {
    get(tenantId: string, personId: string): Promise<{ homeSiteId?: string; name: string } | undefined>;
  };
}

/** A message still undelivered this long after it was written raises an alert (N2). */
export const DELIVERY_DEADLINE_MS = 30 * 60_000;

/** A transient failure left a channel to retry: the queue message comes back later. */
export class DeliveryIncomplete extends Error {
  constructor(messageId: string) {
    super(`delivery of ${messageId} incomplete: retrying`);
    this.name = 'DeliveryIncomplete';
  }
}

/** What the rules know of a tenant's channels, from settings, secrets and the SMS counter. */
export function channelState(
  settings: ChannelSettings,
  secrets: ChannelSecrets,
  smsUsed: number,
  mailFrom: string | undefined,
): ChannelState {
  return {
    wecom: {
      enabled: settings.wecom.enabled,
      configured: Boolean(settings.wecom.corpId && settings.wecom.agentId && secrets.wecomSecret),
    },
    dingtalk: {
      enabled: settings.dingtalk.enabled,
      configured: Boolean(settings.dingtalk.appKey && settings.dingtalk.agentId && secrets.dingtalkAppSecret),
    },
    sms: {
      enabled: settings.sms.enabled,
      configured:
        settings.sms.provider === 'aws'
          ? Boolean(settings.sms.originationIdentity)
          : Boolean(
              settings.sms.accessKeyId &&
                settings.sms.signName &&
                settings.sms.templateCode &&
                secrets.aliyunAccessKeySecret,
            ),
      monthlyQuota: settings.sms.monthlyQuota,
      usedThisMonth: smsUsed,
    },
    email: { enabled: settings.email.enabled, configured: Boolean(mailFrom) },
  };
}

export interface TenantChannels {
  tenantId: string;
  settings: ChannelSettings;
  secrets: ChannelSecrets;
  state: ChannelState;
  rules: Partial<Record<NotificationKind, NotificationRule>>;
}

export async function tenantChannels(
  deps: Pick<DeliveryDeps, 'notifications' | 'credentials' | 'clock' | 'mailFrom'>,
  tenantId: string,
): Promise<TenantChannels> {
  const [settings, secrets, smsUsed, rules] = await Promise.all([
    deps.notifications.channels(tenantId),
    deps.credentials.read(tenantId),
    deps.notifications.smsUsed(tenantId, quotaMonth(deps.clock.now())),
    deps.notifications.rules(tenantId),
  ]);
  return {
    tenantId,
    settings,
    secrets,
    state: channelState(settings, secrets, smsUsed, deps.mailFrom),
    rules,
  };
}
