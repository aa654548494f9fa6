// Subcontractors (SPEC O1): the companies outside workers come through. A subcontractor
// admin sees and manages only their own company and its workers.
import type { CreateSubcontractorBody, Subcontractor } from '../../schemas/subcontractors.ts';
import { authorize, canSeeSubcontractor } from '../shared/auth/permissions.ts';
import type { Principal } from '../shared/auth/principal.ts';
import type { Clock } from '../shared/clock.ts';
import { InvalidRequest, NotFound } from '../shared/errors.ts';
import { checkUscc, maskName, maskPhone } from '../shared/identity-numbers.ts';
import { newId } from '../shared/ids.ts';
import type { SubcontractorRecord, SubcontractorRepository } from './subcontractor-repository.ts';

export interface SubcontractorDeps {
  subcontractors: SubcontractorRepository;
  clock: Clock;
}

/** What a response shows: contacts masked (personal information). */
export function subcontractorView(r: SubcontractorRecord): Subcontractor {
  return {
    subcontractorId: r.subcontractorId,
    name: r.name,
    unifiedSocialCreditCode: r.unifiedSocialCreditCode,
    contacts: r.contacts.map((c) => ({
      nameMasked: maskName(c.name),
      phoneMasked: maskPhone(c.phone),
      ...(c.role ? { role: c.role } : {}),
    })),
    createdAt: r.createdAt,
    ...(r.updatedAt ? { updatedAt: r.updatedAt } : {}),
    ...(r.termination
      ? {
          termination: {
            effectiveOn: r.termination.effectiveOn,
            reason: r.termination.reason,
            recordedAt: r.termination.recordedAt,
          },
        }
      : {}),
    ...(r.usccCheckFailed ? { warnings: ['uscc_check_char' as const] } : {}),
  };
}

export async function registerSubcontractor(
  deps: SubcontractorDeps,
  principal: Principal,
  body: CreateSubcontractorBody,
  requestId: string,
): Promise<Subcontractor> {
  authorize(principal, 'subcontractor:create');
  const code = body.unifiedSocialCreditCode.trim().toUpperCase();
  const verdict = checkUscc(code);
  if (verdict === 'format')
    throw new InvalidRequest('validation_failed', [
      { field: 'unifiedSocialCreditCode', code: 'uscc_format', message: 'uscc_format' },
    ]);
  const record: SubcontractorRecord = {
    subcontractorId: newId('sub'),
    name: body.name,
    unifiedSocialCreditCode: code,
    contacts: body.contacts.map((c) => ({
      name: c.name,
      phone: c.phone.replace(/[\s-]/g, ''),
      ...(c.role ? { role: c.role } : {}),
    })),
    createdAt: deps.clock.now().toISOString(),
    // Early pilot codes fail the checksum but are real companies: kept, with a warning.
    ...(verdict === 'bad_check_char' ? { usccCheckFailed: true } : {}),
  };
  await deps.subcontractors.create(principal, record, requestId);
  return subcontractorView(record);
}

export async function findSubcontractorRecord(
  deps: SubcontractorDeps,
  principal: Principal,
  subcontractorId: string,
) {
  authorize(principal, 'subcontractor:read');
  const record = canSeeSubcontractor(principal, subcontractorId)
    ? await deps.subcontractors.get(principal.tenantId, subcontractorId)
    : undefined;
  if (!record) throw new NotFound('subcontractor_not_found');
  return record;
}

export async function findSubcontractor(
  deps: SubcontractorDeps,
  principal: Principal,
  subcontractorId: string,
) {
  return subcontractorView(await findSubcontractorRecord(deps, principal, subcontractorId));
}

export async function listSubcontractors(deps: SubcontractorDeps, principal: Principal) {
  authorize(principal, 'subcontractor:read');
  const all = await deps.subcontractors.list(principal.tenantId);
  return all.filter((r) => canSeeSubcontractor(principal, r.subcontractorId)).map(subcontractorView);
}
