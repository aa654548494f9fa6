// A tenant's channel credentials: one of the tenant's own secrets (shared/tenant-secrets.ts),
// never in the table, a response or a log line. Stored whole; a PUT that leaves a secret
// out keeps the one stored.
import { channelSecretName } from '../shared/tenant-secret-names.ts';
import type { TenantSecrets } from '../shared/tenant-secrets.ts';

export interface ChannelSecrets {
  wecomSecret?: string;
  dingtalkAppSecret?: string;
  aliyunAccessKeySecret?: string;
  /** Group robots by robotId: the webhook key / access token, and a DingTalk signing secret. */
  robots?: Record<string, { key: string; secret?: string }>;
}

export interface ChannelCredentials {
  read(tenantId: string): Promise<ChannelSecrets>;
  merge(tenantId: string, update: ChannelSecrets): Promise<ChannelSecrets>;
}

export class SecretChannelCredentials implements ChannelCredentials {
  // Every delivery reads them: kept for a minute per container (a changed secret reaches the
  // worker within that; the container that stores it sees it at once).
  private readonly cache = new Map<string, { secrets: Promise<ChannelSecrets>; at: number }>();

  constructor(
    private readonly secrets: TenantSecrets,
    private readonly ttlMs = 60_000,
    private readonly now = () => Date.now(),
  ) {}

  read(tenantId: string): Promise<ChannelSecrets> {
    const hit = this.cache.get(tenantId);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.secrets;
    const secrets = this.fetch(tenantId);
    if (this.cache.size > 100) this.cache.clear();
    this.cache.set(tenantId, { secrets, at: this.now() });
    secrets.catch(() => this.cache.delete(tenantId));
    return secrets;
  }

  private async fetch(tenantId: string): Promise<ChannelSecrets> {
    const stored = await this.secrets.read(tenantId, channelSecretName(tenantId));
    if (!stored) return {};
    try {
      return JSON.parse(stored) as ChannelSecrets;
    } catch {
      return {}; // unreadable: the channel shows as not configured, never a parser message quoting it
    }
  }

  async merge(tenantId: string, update: ChannelSecrets): Promise<ChannelSecrets> {
    const merged = { ...(await this.fetch(tenantId)), ...update };
    await this.secrets.store(
      tenantId,
      channelSecretName(tenantId),
      JSON.stringify(merged),
      'Notification channel credentials of one tenant',
    );
    this.cache.set(tenantId, { secrets: Promise.resolve(merged), at: this.now() });
    return merged;
  }
}
