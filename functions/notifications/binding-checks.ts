import { isTransient } from './channel-rules.ts';
import { type DeliveryDeps, tenantChannels } from './delivery-deps.ts';

/**
 * An email provider's event (SES via EventBridge): a permanent bounce or a complaint
 * suppresses the person's address — it is not tried again until someone enters it anew.
 */
export async function onMailEvent(
  deps: Pick<DeliveryDeps, 'notifications'>,
  event: {
    eventType: string;
    tenantId?: string | null;
    personId?: string | null;
    bounceType?: string | null;
  },
): Promise<boolean> {
  const permanent =
    event.eventType === 'Complaint' || (event.eventType === 'Bounce' && event.bounceType === 'Permanent');
  if (!permanent || !event.tenantId || !event.personId) return false;
  return deps.notifications.suppressEmail(event.tenantId, event.personId, event.eventType);
}

/** The daily binding check: one work message per tenant whose WeCom channel is set up. */
export async function checkBindingsEverywhere(
  deps: Pick<DeliveryDeps, 'notifications' | 'workQueue'> & { reports: { allTenants(): Promise<string[]> } },
) {
  const tenants: string[] = [];
  for (const tenantId of await deps.reports.allTenants()) {
    const settings = await deps.notifications.channels(tenantId);
    if (settings.wecom.corpId && settings.wecom.agentId) tenants.push(tenantId);
  }
  if (tenants.length)
    await deps.workQueue.send(tenants.map((tenantId) => ({ type: 'check-bindings' as const, tenantId })));
  return tenants.length;
}

/**
 * One page of a tenant's WeCom bindings: asks WeCom whether each person follows the app and
 * records it; queues the next page. A provider that fails now leaves the page to the retry.
 */
export async function checkBindingsPage(
  deps: DeliveryDeps,
  tenantId: string,
  cursor: Record<string, string> | undefined,
): Promise<{ checked: number; following: number }> {
  const t = await tenantChannels(deps, tenantId);
  if (!t.state.wecom.configured) return { checked: 0, following: 0 };
  const app = {
    corpId: t.settings.wecom.corpId ?? '',
    agentId: t.settings.wecom.agentId ?? '',
    secret: t.secrets.wecomSecret ?? '',
  };
  const page = await deps.notifications.wecomBound(tenantId, cursor);
  let following = 0;
  for (const b of page.items) {
    const answer = await deps.wecom.following(app, b.wecomUserId);
    if (typeof answer !== 'boolean') {
      if (isTransient(answer.cause ?? 'unknown')) throw new Error(`binding check: ${answer.cause}`);
      return { checked: 0, following: 0 }; // credentials refused: the diagnosis says so
    }
    if (answer) following++;
    await deps.notifications.setFollowing(tenantId, b.personId, b.wecomUserId, answer);
  }
  if (page.next) await deps.workQueue.send([{ type: 'check-bindings', tenantId, cursor: page.next }]);
  return { checked: page.items.length, following };
}
