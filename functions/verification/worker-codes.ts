// Rotating verification codes (SPEC O2): a worker shows a code from their own account; a
// guard or a client's safety officer scans it and sees the worker's live status — not a
// copy — with each certificate's registry answer and its age, asked again when older than
// the tenant allows. Signed with the tenant's own KMS key (TenantKeyStore): the key names the
// tenant, and anyone can also check a code offline with GET /.well-known/jwks.json.

import { statusOf } from '../domain/certificate.ts';
import { findPerson } from '../domain/person.ts';
import { ONBOARDING_THRESHOLDS, STATUS_THRESHOLDS } from '../domain/settings.ts';
import type { AllowlistSigner } from '../shared/allowlist-signer.ts';
import { authorize } from '../shared/auth/permissions.ts';
import type { Principal } from '../shared/auth/principal.ts';
import { todayInShanghai } from '../shared/calendar.ts';
import { Forbidden, NotFound } from '../shared/errors.ts';
import { maskName } from '../shared/identity-numbers.ts';
import type { TenantKeyStore } from './tenant-key-store.ts';
import { type VerificationDeps, verifyCertificate } from './verify.ts';
import {
  type CodeProblem,
  registryAnswerStale,
  WORKER_CODE_TYP,
  type WorkerCodeClaims,
  workerCodeClaims,
  workerCodeProblem,
} from './worker-code.ts';
import type { WorkerCodeStore } from './worker-code-store.ts';

export interface WorkerCodeDeps extends VerificationDeps {
  codes: WorkerCodeStore;
  /** The service key: allowlists, tickets and board links (published beside the tenants' keys). */
  signer: AllowlistSigner;
  tenantKeys: TenantKeyStore;
}

/** The JWK Set: the service key and every tenant's worker-code key. */
export async function publishedKeys(deps: Pick<WorkerCodeDeps, 'signer' | 'tenantKeys'>) {
  const [service, tenants] = await Promise.all([deps.signer.publicKey(), deps.tenantKeys.publicKeys()]);
  return { keys: [service, ...tenants] };
}

/** The worker's own code for the current window: only from their own account. */
export async function issueWorkerCode(deps: WorkerCodeDeps, principal: Principal, personId: string) {
  if (principal.personId !== personId) throw new Forbidden('own_code_only');
  const person = await deps.people.get(principal.tenantId, personId);
  if (!person) throw new NotFound('person_not_found');
  const claims = workerCodeClaims(
    principal.tenantId,
    personId,
    await deps.codes.epoch(principal.tenantId, personId),
    deps.clock.now(),
  );
  return {
    code: await (await deps.tenantKeys.signerFor(principal.tenantId)).sign(claims, WORKER_CODE_TYP),
    validFrom: new Date(claims.nbf * 1000).toISOString(),
    validUntil: new Date(claims.exp * 1000).toISOString(),
  };
}

/** The code as a QR PNG for the phone's screen. */
export async function workerCodeQr(
  deps: WorkerCodeDeps,
  principal: Principal,
  personId: string,
): Promise<Buffer> {
  const { code } = await issueWorkerCode(deps, principal, personId);
  const QRCode = await import('qrcode');
  // 8 px a module: read by browser and phone scanners at half the size or slightly blurred (test/support/qr-decode.ts).
  return QRCode.toBuffer(code, { type: 'png', errorCorrectionLevel: 'M', margin: 4, scale: 8 });
}

/** A lost phone: every code issued so far stops verifying (hr, group_admin). */
export async function revokeWorkerCodes(
  deps: WorkerCodeDeps,
  principal: Principal,
  personId: string,
  requestId: string,
) {
  authorize(principal, 'person:revoke-codes');
  await findPerson(deps.people, principal, personId);
  await deps.codes.revoke(principal, personId, requestId);
}

type Verdict = {
  valid: false;
  reason: CodeProblem | 'bad_signature' | 'unknown_key' | 'other_tenant' | 'unknown_person';
};

/** The signature under the key the header names, and whose key that is. */
async function checkSignature(deps: WorkerCodeDeps, code: string) {
  // jose is loaded by the first code checked: the other routes of the function never need it.
  const { compactVerify, decodeProtectedHeader, importJWK } = await import('jose');
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(code);
  } catch {
    return { ok: false as const, reason: 'bad_signature' as const };
  }
  const owner = typeof header.kid === 'string' ? await deps.tenantKeys.byKid(header.kid) : undefined;
  if (!owner) return { ok: false as const, reason: 'unknown_key' as const };
  try {
    const { payload } = await compactVerify(code, await importJWK(owner.key, 'ES256'));
    const claims = JSON.parse(new TextDecoder().decode(payload)) as Partial<WorkerCodeClaims>;
    // A tenant's key vouches for that tenant's people only.
    if (claims.ten !== owner.tenantId) return { ok: false as const, reason: 'bad_signature' as const };
    return { ok: true as const, header, claims, tenantId: owner.tenantId };
  } catch {
    return { ok: false as const, reason: 'bad_signature' as const };
  }
}

/**
 * Everything a verifier learns: the signature and window, then the person's status as it is
 * now, with each current certificate's registry answer — asked again first when older than
 * the tenant's limit. Same tenant only: another company's worker is not this tenant's data.
 */
export async function verifyWorkerCode(
  deps: WorkerCodeDeps,
  principal: Principal,
  code: string,
  requestId: string,
) {
  authorize(principal, 'worker-code:verify');
  const signed = await checkSignature(deps, code);
  if (!signed.ok) return { valid: false, reason: signed.reason } satisfies Verdict;
  const { claims } = signed;
  if (signed.tenantId !== principal.tenantId)
    return { valid: false, reason: 'other_tenant' } satisfies Verdict;
  const now = deps.clock.now();
  const epoch =
    typeof claims.sub === 'string' ? await deps.codes.epoch(principal.tenantId, claims.sub) : undefined;
  const problem = workerCodeProblem(signed.header, claims, now, epoch);
  if (problem) return { valid: false, reason: problem } satisfies Verdict;
  let person = await deps.people.get(principal.tenantId, claims.sub as string);
  if (!person) return { valid: false, reason: 'unknown_person' } satisfies Verdict;
  const { registryMaxAgeHours } = await deps.settings.read(principal.tenantId, ONBOARDING_THRESHOLDS);
  let certs = await deps.certificates.listForPerson(principal.tenantId, person.personId);
  const asked = new Set<string>();
  for (const cert of certs.filter((c) => !c.replacedByCertificateId)) {
    if (!registryAnswerStale(cert.verification?.lastAnsweredAt, now, registryMaxAgeHours)) continue;
    // The registry is asked now; an outage leaves the old answer, shown with its age.
    await verifyCertificate(deps, principal, person, cert.certificateId, requestId);
    asked.add(cert.certificateId);
  }
  if (asked.size) {
    person = (await deps.people.get(principal.tenantId, person.personId)) ?? person;
    certs = await deps.certificates.listForPerson(principal.tenantId, person.personId);
  }
  const today = todayInShanghai(now);
  // The live status, an alliance blacklist hold (O4) included: the verifier sees `blacklisted`.
  const status = statusOf(
    certs,
    today,
    await deps.settings.read(principal.tenantId, STATUS_THRESHOLDS),
    person,
  );
  const colorOf = new Map(status.certificates.map((c) => [c.certificateId, c.color]));
  return {
    valid: true,
    personId: person.personId,
    nameMasked: maskName(person.name),
    validUntil: new Date((claims.exp as number) * 1000).toISOString(),
    status: {
      color: status.color,
      gateAccess: status.gateAccess,
      reasons: status.reasons.map((r) => r.code),
    },
    certificates: certs
      .filter((c) => !c.replacedByCertificateId)
      .map((c) => {
        const answeredAt = c.verification?.lastAnsweredAt;
        return {
          certificateId: c.certificateId,
          scheme: c.scheme,
          category: c.category,
          numberMasked: c.numberMasked,
          expiresOn: c.expiresOn,
          color: colorOf.get(c.certificateId) ?? 'red',
          registry: {
            outcome: c.verification?.outcome ?? null,
            answeredAt: answeredAt ?? null,
            ageMinutes: answeredAt ? Math.round((now.getTime() - Date.parse(answeredAt)) / 60_000) : null,
            askedNow: asked.has(c.certificateId),
            ...(c.verification?.lastAttemptResult === 'unavailable' && asked.has(c.certificateId)
              ? { unavailable: c.verification.unavailableReason ?? 'unavailable' }
              : {}),
          },
        };
      }),
  };
}
