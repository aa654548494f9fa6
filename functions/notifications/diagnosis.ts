// One-click diagnosis (N3): walks the path a real send takes — channel on? credentials valid
// (a dry call)? person bound / following? SMS quota left? rule sensible? — without sending,
// for one person or, page by page, for everyone of the tenant; and applies the fixes the
// product can apply itself.
import type { Diagnosis, DiagnosisBody, FixBody, FixResult } from '../../schemas/notifications.ts';
import type { NotificationKind } from '../domain/notifications.ts';
import { findPerson } from '../domain/person.ts';
import { authorize } from '../shared/auth/permissions.ts';
import type { Principal } from '../shared/auth/principal.ts';
import { InvalidRequest } from '../shared/errors.ts';
import type { Language } from '../shared/i18n/messages.ts';
import { message as text } from '../shared/i18n/messages.ts';
import { maskName } from '../shared/identity-numbers.ts';
import {
  type Cause,
  CHANNELS,
  type Channel,
  DEFAULT_RULE,
  diagnose,
  type Finding,
  guideChannel,
  type NotificationRule,
  type OtherChannel,
  otherChannels,
} from './channel-rules.ts';
import { DeliveryIncomplete, deliverMessage, type TenantChannels, tenantChannels } from './deliveries.ts';
import { checkChannel, type NotificationDeps } from './notification-settings.ts';

/** Dry calls for the rule's enabled, configured channels: what a send would meet now. */
async function credentialProblems(
  deps: NotificationDeps,
  t: TenantChannels,
  channels: Channel[],
): Promise<Partial<Record<Channel, Cause>>> {
  const problems: Partial<Record<Channel, Cause>> = {};
  for (const channel of channels) {
    if (channel === 'email' || !t.state[channel].enabled || !t.state[channel].configured) continue;
    const outcome = await checkChannel(deps, channel, t.settings, t.secrets);
    if (!outcome.ok) problems[channel] = outcome.cause ?? 'unknown';
  }
  return problems;
}

const otherExplained = (o: OtherChannel, lang: Language) => ({
  ...o,
  explanation:
    o.reaches === 'no'
      ? o.causes.map((c) => text(`cause_${c}`, lang)).join(' ')
      : text(`other_channel_${o.reaches}`, lang, { channel: text(`channel_${o.channel}`, lang) }),
});

const explained = (f: Finding, lang: Language) => ({
  ...f,
  explanation: text(`cause_${f.cause}`, lang),
  fixText: text(`fix_${f.fix}`, lang),
});

export async function diagnoseNotifications(
  deps: NotificationDeps,
  principal: Principal,
  body: DiagnosisBody,
  lang: Language,
): Promise<Diagnosis> {
  authorize(principal, 'notification:diagnose');
  const kind = body.rule as NotificationKind;
  const t = await tenantChannels(deps, principal.tenantId);
  const rule: NotificationRule = t.rules[kind] ?? DEFAULT_RULE;
  // Every channel, not only the rule's: one outside it may be the way to reach people.
  const problems = await credentialProblems(deps, t, [...CHANNELS]);
  const head = { rule: kind, channels: rule.channels, mode: rule.mode };

  if (body.personId) {
    await findPerson(deps.people, principal, body.personId);
    const bindings = await deps.notifications.bindings(principal.tenantId, body.personId);
    const findings = diagnose(rule, t.state, bindings, problems);
    const recent = await deps.notifications.personLog(principal.tenantId, body.personId, 10);
    return {
      ...head,
      personId: body.personId,
      findings: findings.map((f) => explained(f, lang)),
      reachable: !findings.some((f) => f.cause === 'unreachable' || f.cause === 'rule_without_channels'),
      otherChannels: otherChannels(rule, t.state, bindings, problems).map((o) => otherExplained(o, lang)),
      recent: recent.map(({ messageId, kind: k, at, delivered }) => ({ messageId, kind: k, at, delivered })),
    };
  }

  // Everyone of the tenant, a page at a time: the reads grow with the page, not the tenant.
  authorize(principal, 'notification:diagnose-tenant');
  const page = await deps.people.list(principal.tenantId, { limit: 100, cursor: body.cursor });
  const bindings = await deps.notifications.bindingsOf(
    principal.tenantId,
    page.items.map((p) => p.personId),
  );
  const grouped = new Map<string, Finding & { personIds: string[] }>();
  const others = new Map<
    Channel,
    { channel: Channel; now: number; ifEnabled: number; causes: Record<string, number> }
  >();
  const unreachable: { personId: string; nameMasked: string; causes: string[] }[] = [];
  for (const person of page.items) {
    const findings = diagnose(rule, t.state, bindings.get(person.personId) ?? {}, problems);
    // "Nothing reaches them" is the unreachable list below, not a cause of its own.
    for (const f of findings.filter((x) => x.cause !== 'unreachable')) {
      const key = `${f.cause}/${f.channel ?? ''}`;
      const g = grouped.get(key) ?? { ...f, personIds: [] };
      g.personIds.push(person.personId);
      grouped.set(key, g);
    }
    for (const o of otherChannels(rule, t.state, bindings.get(person.personId) ?? {}, problems)) {
      const sum = others.get(o.channel) ?? { channel: o.channel, now: 0, ifEnabled: 0, causes: {} };
      if (o.reaches === 'now') sum.now += 1;
      if (o.reaches === 'if_enabled') sum.ifEnabled += 1;
      for (const c of o.causes) sum.causes[c] = (sum.causes[c] ?? 0) + 1;
      others.set(o.channel, sum);
    }
    if (findings.some((f) => f.cause === 'unreachable'))
      unreachable.push({
        personId: person.personId,
        nameMasked: maskName(person.name),
        causes: findings.filter((f) => f.channel).map((f) => `${f.channel}:${f.cause}`),
      });
  }
  const tenantWide = new Set<string>(['channel_disabled', 'not_configured', 'tenant_quota_exhausted']);
  return {
    ...head,
    findings: [...grouped.values()].map(({ personIds, ...f }) => ({
      ...explained(f, lang),
      people: personIds.length,
      // Channel-wide causes concern everyone; the rest name whom the fix is for.
      ...(tenantWide.has(f.cause) || !f.channel || problems[f.channel] === f.cause ? {} : { personIds }),
    })),
    unreachable,
    // Per channel outside the rule: how many it reaches now, how many once switched on, and why not.
    otherChannelsSummary: [...others.values()].map((o) => ({
      ...o,
      people: page.items.length,
      explanation: text('other_channels_summary', lang, {
        channel: text(`channel_${o.channel}`, lang),
        now: o.now,
        ifEnabled: o.ifEnabled,
        people: page.items.length,
      }),
    })),
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
  };
}

/** Applies one fix the diagnosis marked applicable. */
export async function applyFix(
  deps: NotificationDeps,
  principal: Principal,
  body: FixBody,
  requestId: string,
): Promise<FixResult> {
  const t = await tenantChannels(deps, principal.tenantId);
  switch (body.fix) {
    case 'enable_channel': {
      authorize(principal, 'settings:write');
      if (!t.state[body.channel].configured)
        throw new InvalidRequest('channel_not_configured', [
          { field: 'channel', code: 'channel_not_configured', message: 'channel_not_configured' },
        ]);
      const settings = { ...t.settings, [body.channel]: { ...t.settings[body.channel], enabled: true } };
      await deps.notifications.saveSetting(principal, 'channels', settings, requestId);
      return { fix: body.fix, applied: true };
    }
    case 'raise_sms_quota': {
      authorize(principal, 'settings:write');
      const settings = { ...t.settings, sms: { ...t.settings.sms, monthlyQuota: body.monthlyQuota } };
      await deps.notifications.saveSetting(principal, 'channels', settings, requestId);
      return { fix: body.fix, applied: true };
    }
    case 'use_redundant_mode': {
      authorize(principal, 'settings:write');
      const kind = body.rule as NotificationKind;
      const rule = t.rules[kind] ?? DEFAULT_RULE;
      const rules = { ...t.rules, [kind]: { ...rule, mode: 'redundant' } };
      await deps.notifications.saveSetting(principal, 'notification-rules', { rules }, requestId);
      return { fix: body.fix, applied: true };
    }
    case 'send_binding_guide':
    case 'bind_phone': {
      authorize(principal, 'notification:send-guide');
      const guides: NonNullable<FixResult['guides']> = [];
      for (const personId of body.personIds) guides.push(await sendGuide(deps, principal, t, personId));
      return { fix: body.fix, applied: guides.some((g) => g.sent), guides };
    }
  }
}

/**
 * The binding guide to one person, through the first channel that reaches them (an inbox
 * message too, so it is in their inbox and in their delivery log like any other).
 */
async function sendGuide(deps: NotificationDeps, principal: Principal, t: TenantChannels, personId: string) {
  const person = await findPerson(deps.people, principal, personId);
  const bindings = await deps.notifications.bindings(principal.tenantId, personId);
  const channel = guideChannel(t.state, bindings);
  const message = await deps.notifications.postInbox(principal.tenantId, {
    kind: 'binding_guide',
    mailbox: `PERSON#${personId}`,
    personId,
    nameMasked: maskName(person.name),
    reasons: [],
  });
  if (!channel) return { personId, sent: false, cause: 'unreachable' };
  try {
    const sent = await deliverMessage(deps, message, t, { channels: [channel], mode: 'first_success' });
    return { personId, channel, sent };
  } catch (error) {
    // A provider that is throttling now: the guide stays in the inbox; say so.
    if (error instanceof DeliveryIncomplete) return { personId, channel, sent: false, cause: 'rate_limited' };
    throw error;
  }
}
