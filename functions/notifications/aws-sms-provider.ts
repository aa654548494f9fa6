// AWS End User Messaging SMS (pinpoint-sms-voice-v2) adapter: SMS for deployments outside
// mainland China, sent from the deployment's own account (its IAM role; no tenant secret).
// The tenant chooses the origination identity (a phone number, sender id or pool of that
// account). The service takes free text, so the message is the title and the first lines.
import {
  PinpointSMSVoiceV2Client,
  SendTextMessageCommand,
  type SendTextMessageCommandInput,
} from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { awsClient } from '../shared/aws-client-config.ts';
import { truncateText } from '../shared/text.ts';
import { awsSmsOutcome, type ProviderOutcome } from './channel-rules.ts';
import type { AwsSms, AwsSmsProviderPort, OutgoingMessage } from './channels.ts';

/** Mainland numbers are stored without the country code; the service wants E.164. */
export const e164 = (phone: string) => (phone.startsWith('+') ? phone : `+86${phone}`);

/** A destination no one owns, for the dry run (DryRun sends nothing). */
const DRY_RUN_DESTINATION = '+8613800000000';

/** An SMS segment budget: the title and the start of the body, in at most 3 UCS-2 segments. */
export const smsText = (m: OutgoingMessage) =>
  truncateText(`${m.title}\n${m.markdown.replace(/\*\*/g, '')}`, 200);

export class AwsSmsProvider implements AwsSmsProviderPort {
  private client?: PinpointSMSVoiceV2Client;

  constructor(private readonly endpoint?: string) {}

  private async call(input: SendTextMessageCommandInput): Promise<ProviderOutcome> {
    this.client ??= awsClient(PinpointSMSVoiceV2Client, {
      ...(this.endpoint ? { endpoint: this.endpoint } : {}),
      // Transient failures go back to the work queue; the SDK should not wait on them too.
      maxAttempts: 1,
    });
    try {
      const out = await this.client.send(new SendTextMessageCommand(input));
      return { ok: true, providerCode: 'OK', ...(out.MessageId ? { providerMessageId: out.MessageId } : {}) };
    } catch (error) {
      const e = error as Error & { Reason?: string; $metadata?: { httpStatusCode?: number } };
      // No HTTP status: the service never answered (refused, timed out, DNS).
      if (!e.$metadata?.httpStatusCode)
        return { ok: false, providerCode: 'no_answer', cause: 'provider_down' };
      return awsSmsOutcome(e.name, e.Reason);
    }
  }

  send(account: AwsSms, phone: string, message: OutgoingMessage): Promise<ProviderOutcome> {
    return this.call({
      DestinationPhoneNumber: e164(phone),
      OriginationIdentity: account.originationIdentity,
      MessageBody: smsText(message),
      MessageType: 'TRANSACTIONAL',
      Context: { idempotencyKey: message.idempotencyKey },
    });
  }

  check(account: AwsSms): Promise<ProviderOutcome> {
    return this.call({
      DestinationPhoneNumber: DRY_RUN_DESTINATION,
      OriginationIdentity: account.originationIdentity,
      MessageBody: 'dry run',
      MessageType: 'TRANSACTIONAL',
      DryRun: true,
    });
  }
}
