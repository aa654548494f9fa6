// The violations function's routes (SPEC E1: violation points, suspension for training).
import { Problem } from '../common.ts';
import { Created, route } from '../route.ts';
import {
  CompleteCourseBody,
  Courses,
  DecideViolationBody,
  PersonViolations,
  PointsPolicy,
  RecordViolationBody,
  ReinstateBody,
  Reinstatement,
  Violation,
} from '../violations.ts';

export const recordViolation = route({
  operationId: 'recordViolation',
  method: 'POST',
  path: '/violations',
  capability: 'violations',
  auth: true,
  summary:
    'Record a violation (site_manager for their sites, group_admin): confirmed by the recorder, its points counted; at the threshold the person is suspended for training',
  body: RecordViolationBody,
  responses: Created(Violation, 'Violation'),
});

export const getViolation = route({
  operationId: 'getViolation',
  method: 'GET',
  path: '/violations/{violationId}',
  capability: 'violations',
  auth: true,
  summary: 'One violation',
  responses: { 200: { description: 'The violation', schema: Violation } },
});

export const confirmViolation = route({
  operationId: 'confirmViolation',
  method: 'POST',
  path: '/violations/{violationId}/confirmation',
  capability: 'violations',
  auth: true,
  summary: 'Confirm a violation the product proposed (site_manager, group_admin): only then does it count',
  body: DecideViolationBody,
  responses: {
    200: { description: 'The confirmed violation', schema: Violation },
    409: { description: 'Decided already', schema: Problem },
  },
});

export const dismissViolation = route({
  operationId: 'dismissViolation',
  method: 'POST',
  path: '/violations/{violationId}/dismissal',
  capability: 'violations',
  auth: true,
  summary: 'Dismiss a violation the product proposed (site_manager, group_admin)',
  body: DecideViolationBody,
  responses: {
    200: { description: 'The dismissed violation', schema: Violation },
    409: { description: 'Decided already', schema: Problem },
  },
});

export const listPersonViolations = route({
  operationId: 'listPersonViolations',
  method: 'GET',
  path: '/people/{personId}/violations',
  capability: 'violations',
  auth: true,
  summary: 'A person’s violations, newest first, with the points in force and the threshold',
  responses: { 200: { description: 'Violations', schema: PersonViolations } },
});

export const listPersonCourses = route({
  operationId: 'listPersonCourses',
  method: 'GET',
  path: '/people/{personId}/courses',
  capability: 'violations',
  auth: true,
  summary: 'The courses a suspension for training assigned, and which are done',
  responses: { 200: { description: 'Courses', schema: Courses } },
});

export const completeCourse = route({
  operationId: 'completeCourse',
  method: 'POST',
  path: '/people/{personId}/courses/{courseId}/completion',
  capability: 'violations',
  auth: true,
  summary: 'Record a course done (hr, group_admin), with its evidence',
  body: CompleteCourseBody,
  responses: {
    200: { description: 'The courses', schema: Courses },
    409: { description: 'Recorded already', schema: Problem },
  },
});

export const reinstatePerson = route({
  operationId: 'reinstatePerson',
  method: 'POST',
  path: '/people/{personId}/reinstatement',
  capability: 'violations',
  auth: true,
  summary:
    'Reinstate a person suspended for training (site_manager, group_admin): only once every course is done',
  body: ReinstateBody,
  responses: {
    200: { description: 'The person’s status, back to what their certificates allow', schema: Reinstatement },
    409: { description: 'Not suspended', schema: Problem },
    422: { description: 'Courses still open', schema: Problem },
  },
});

export const getPointsPolicy = route({
  operationId: 'getPointsPolicy',
  method: 'GET',
  path: '/settings/violation-points',
  capability: 'violations',
  auth: true,
  summary: 'The tenant’s points per violation type, threshold and window',
  responses: { 200: { description: 'Points policy', schema: PointsPolicy } },
});

export const putPointsPolicy = route({
  operationId: 'putPointsPolicy',
  method: 'PUT',
  path: '/settings/violation-points',
  capability: 'violations',
  auth: true,
  summary: 'Set the points per violation type, threshold and window (group_admin)',
  body: PointsPolicy,
  responses: { 200: { description: 'Points policy', schema: PointsPolicy } },
});
