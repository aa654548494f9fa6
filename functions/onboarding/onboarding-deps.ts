import type * as z from 'zod';
import type { CreatePersonBody } from '../../schemas/people.ts';
import type { CertificateRecord, CertificateRepository, StoredForgery } from '../domain/certificate.ts';
import type { CertificateNumberVault } from '../domain/certificate-numbers.ts';
import type { PersonRecord, PersonRepository } from '../domain/person.ts';
import type { RegistryChecks } from '../domain/registry-checks.ts';
import type { TenantSettings } from '../domain/settings.ts';
import type { SubcontractorRepository } from '../domain/subcontractors.ts';
import type { Principal } from '../shared/auth/principal.ts';
import type { Clock } from '../shared/clock.ts';
import type { OnboardingRepository } from './onboarding-repository.ts';
import type { OnboardingProviders } from './providers.ts';

export interface OnboardingDeps extends OnboardingProviders {
  flows: OnboardingRepository;
  people: PersonRepository;
  subcontractors: SubcontractorRepository;
  settings: TenantSettings;
  numbers: CertificateNumberVault;
  idHashKey: () => Promise<string>;
  /** Registers a new outside worker (the people capability: hashes, pseudonym, alliance check). */
  register: (
    principal: Principal,
    person: z.output<typeof CreatePersonBody>,
    requestId: string,
  ) => Promise<PersonRecord>;
  /** A person's certificates (the admission's document step compares the card with them). */
  certificates: Pick<CertificateRepository, 'listForPerson'>;
  /** Stores a forgery analysis with the status it leads to (the certificates capability). */
  recordForgery: (
    principal: Principal,
    personId: string,
    certificateId: string,
    next: (cert: CertificateRecord, now: string) => StoredForgery,
    action: 'certificate.forgery_analysis',
    requestId: string,
  ) => Promise<CertificateRecord>;
  /** Asks the registry about a certificate and stores the answer (verification). */
  registryChecks: Pick<RegistryChecks, 'verify'>;
  clock: Clock;
}

/** A liveness session is single-use and lapses ~3 minutes after creation (Rekognition). */
export const LIVENESS_SESSION_SECONDS = 180;

/** Presigned upload URLs: long enough for a phone on a building site's network. */
export const UPLOAD_SECONDS = 300;

// Where evidence lives. Face images (liveness and the ID card, whose photo is compared)
// sit under one prefix per person, so withdrawing the face consent deletes them all.
export const facePrefix = (tenantId: string, personId: string) => `face/t/${tenantId}/p/${personId}/`;

export const documentPrefix = (tenantId: string, personId: string) =>
  `documents/t/${tenantId}/p/${personId}/`;
