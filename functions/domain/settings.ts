// Tenant settings as definitions, not a hub: each capability defines the settings it reads
// (a stored name and the brief's default) next to the rules that use them, and reads them
// through one port. The definitions read by more than one capability are here; the others
// live with their capability (tickets' dispatch policy, reports' settlement rule and
// recipients). Settings are product policy, not law: absent ones mean the defaults.

import type { Principal } from '../shared/auth/principal.ts';
import { DEFAULT_FATIGUE, type FatigueThresholds } from './fatigue.ts';
import { DEFAULT_THRESHOLDS, type StatusThresholds } from './status.ts';

/** A tenant setting: the name it is stored under and the default of every field. */
export interface Setting<T extends object> {
  readonly name: string;
  readonly defaults: T;
}

export const setting = <T extends object>(name: string, defaults: T): Setting<T> => ({ name, defaults });

/** A stored setting read back: exactly the definition's fields, each falling back to its default. */
export function withDefaults<T extends object>(
  setting: Setting<T>,
  stored: Record<string, unknown> | undefined,
): T {
  if (!stored) return setting.defaults;
  return Object.fromEntries(
    Object.entries(setting.defaults).map(([field, fallback]) => [field, stored[field] ?? fallback]),
  ) as T;
}

/** The settings port: a setting's value (defaults for what was never set), and an audited save. */
export interface TenantSettings {
  read<T extends object>(tenantId: string, setting: Setting<T>): Promise<T>;
  save<T extends object>(
    principal: Principal,
    setting: Setting<T>,
    value: T,
    requestId: string,
  ): Promise<void>;
}

/** Status thresholds (L1): the reminder window and grace days. */
export const STATUS_THRESHOLDS = setting<StatusThresholds>('status-thresholds', DEFAULT_THRESHOLDS);

/** Fatigue thresholds (X3): the gate's fatigue check and dispatch's shift limit. */
export const FATIGUE_THRESHOLDS = setting<FatigueThresholds>('fatigue-thresholds', DEFAULT_FATIGUE);

/** Alliance membership (O4): a tenant that has not joined neither sends nor receives entries. */
export interface AllianceMembership {
  joined: boolean;
}
export const ALLIANCE = setting<AllianceMembership>('alliance', { joined: false });

/** Admission of outside workers (O1) and verification codes' registry freshness (0–100, hours). */
export interface OnboardingThresholds {
  livenessConfidence: number;
  faceSimilarity: number;
  /** Forgery risk at or above which the certificate is locked pending review (forgery.ts). */
  forgeryRisk: number;
  /** A verification-code scan asks the registry again when its last answer is older (hours). */
  registryMaxAgeHours: number;
}

/**
 * Defaults: Rekognition's liveness confidence is commonly gated at 80–90, and face
 * comparison for identity checks is commonly set high (AWS suggests 99 for sensitive
 * uses); below the face threshold a person reviews, nobody is refused on it.
 */
export const DEFAULT_ONBOARDING_THRESHOLDS: OnboardingThresholds = {
  livenessConfidence: 90,
  faceSimilarity: 95,
  forgeryRisk: 60,
  registryMaxAgeHours: 24,
};
export const ONBOARDING_THRESHOLDS = setting('onboarding-thresholds', DEFAULT_ONBOARDING_THRESHOLDS);

/**
 * Settings read once for a unit of work (a ledger chunk): every certificate of it is judged
 * by the same thresholds, read when it starts, instead of a read per certificate.
 */
export function readOncePerChunk(settings: TenantSettings): TenantSettings {
  const read = new Map<string, Promise<object>>();
  return {
    read: (tenantId, setting) => {
      const key = `${tenantId}#${setting.name}`;
      let value = read.get(key);
      if (!value) {
        value = settings.read(tenantId, setting);
        // A failed read is not kept: the next certificate (or the chunk's retry) reads again.
        value.catch(() => read.delete(key));
        read.set(key, value);
      }
      return value as Promise<never>;
    },
    save: (...args) => settings.save(...args),
  };
}
