// The violations function: HTTP entry only; the use cases are in violations.ts.
import {
  completeCourse as completeCourseRoute,
  confirmViolation,
  dismissViolation,
  getPointsPolicy,
  getViolation,
  listPersonCourses,
  listPersonViolations,
  putPointsPolicy,
  recordViolation as recordRoute,
  reinstatePerson,
} from '../../schemas/routes/violations.ts';
import { apiHandler } from '../api-handler.ts';
import { violationDeps } from '../composition-root.ts';
import type { PersonRecord } from '../domain/person.ts';
import { findPerson } from '../domain/person.ts';
import { authorize } from '../shared/auth/permissions.ts';
import { on } from '../shared/http/handler.ts';
import { pointsInForce } from './points.ts';
import {
  completeCourse,
  decideViolation,
  findViolation,
  POINTS_POLICY,
  recordViolation,
  reinstate,
  type ViolationRecord,
} from './violations.ts';

const deps = violationDeps();

const view = (v: ViolationRecord) => {
  const { tenantId: _t, recordedBy: _r, decidedBy: _d, ...rest } = v;
  return rest;
};

const courses = (p: PersonRecord) => ({
  suspended: !!p.suspension,
  ...(p.suspension ? { since: p.suspension.since } : {}),
  items: (p.suspension?.courses ?? []).map(({ courseId, completedAt, evidence }) => ({
    courseId,
    ...(completedAt ? { completedAt } : {}),
    ...(evidence ? { evidence } : {}),
  })),
});

export const handler = apiHandler([
  on(recordRoute, async ({ principal, body, requestId }) => ({
    status: 201,
    body: view(await recordViolation(deps, principal, body, requestId)),
  })),
  on(getViolation, async ({ principal, params }) => ({
    status: 200,
    body: view(await findViolation(deps, principal, params.violationId)),
  })),
  on(confirmViolation, async ({ principal, params, body, requestId }) => ({
    status: 200,
    body: view(
      await decideViolation(deps, principal, params.violationId, { ...body, confirm: true }, requestId),
    ),
  })),
  on(dismissViolation, async ({ principal, params, body, requestId }) => ({
    status: 200,
    body: view(
      await decideViolation(deps, principal, params.violationId, { ...body, confirm: false }, requestId),
    ),
  })),
  on(listPersonViolations, async ({ principal, params }) => {
    authorize(principal, 'violation:read');
    const person = await findPerson(deps.people, principal, params.personId);
    const [items, policy] = await Promise.all([
      deps.violations.ofPerson(principal.tenantId, person.personId),
      deps.settings.read(principal.tenantId, POINTS_POLICY),
    ]);
    return {
      status: 200,
      body: {
        items: items.sort((a, b) => b.occurredAt.localeCompare(a.occurredAt)).map(view),
        pointsInForce: pointsInForce(items, policy, deps.clock.today()),
        threshold: policy.threshold,
        windowMonths: policy.windowMonths,
      },
    };
  }),
  on(listPersonCourses, async ({ principal, params }) => {
    authorize(principal, 'violation:read');
    return { status: 200, body: courses(await findPerson(deps.people, principal, params.personId)) };
  }),
  on(completeCourseRoute, async ({ principal, params, body, requestId }) => ({
    status: 200,
    body: courses(await completeCourse(deps, principal, params.personId, params.courseId, body, requestId)),
  })),
  on(reinstatePerson, async ({ principal, params, body, requestId }) => {
    const person = await reinstate(deps, principal, params.personId, body, requestId);
    const { color, gateAccess, dispatch, reasons } = person.status;
    return {
      status: 200,
      body: { personId: person.personId, color, gateAccess, dispatch, reasons: reasons.map((r) => r.code) },
    };
  }),
  on(getPointsPolicy, async ({ principal }) => {
    authorize(principal, 'settings:read');
    return { status: 200, body: await deps.settings.read(principal.tenantId, POINTS_POLICY) };
  }),
  on(putPointsPolicy, async ({ principal, body, requestId }) => {
    authorize(principal, 'settings:write');
    await deps.settings.save(principal, POINTS_POLICY, body, requestId);
    return { status: 200, body };
  }),
]);
