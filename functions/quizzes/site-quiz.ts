// The site quiz (SPEC X5) as use cases: opened on a person's first arrival at a site with a
// safety notice (or when their induction there ran out), found and taken by the person or
// someone responsible for the site, graded by the pure rules in quiz.ts.
import { randomInt } from 'node:crypto';
import {
  type GateView,
  quizAttribute,
  quizPassedOnAttribute,
  type SiteInductions,
} from '../domain/gate-view.ts';
import type { Principal } from '../shared/auth/principal.ts';
import type { Clock } from '../shared/clock.ts';
import { Conflict, InvalidRequest, NotFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { gradeQuiz, needsSupervision, pickQuestions } from './quiz.ts';
import type { QuizRecord, QuizRepository } from './quiz-store.ts';

export interface QuizDeps {
  quizzes: QuizRepository;
  clock: Clock;
}

/** HR and group admins, or a manager of the quiz's site: they may administer it. */
export function responsibleFor(principal: Principal, quiz: { siteId: string }): boolean {
  if (principal.role === 'group_admin' || principal.role === 'hr') return true;
  return principal.role === 'site_manager' && principal.siteIds.includes(quiz.siteId);
}

/** The taker themself, or someone responsible for the site; anyone else gets 404. */
const mayTake = (principal: Principal, quiz: QuizRecord) =>
  principal.personId === quiz.personId || responsibleFor(principal, quiz);

/**
 * A quiz of three questions and the notice in the person's inbox. Nothing if the site has
 * no notice or the person already has a quiz there (a concurrent arrival included).
 */
export async function openQuizOnArrival(
  deps: Pick<QuizDeps, 'quizzes' | 'clock'>,
  tenantId: string,
  view: GateView,
  siteId: string,
): Promise<QuizRecord | undefined> {
  const safety = await deps.quizzes.safety(tenantId, siteId);
  if (!safety) return undefined;
  // A re-induction replaces a passed quiz whose validity ran out.
  const renewing = view[quizAttribute(siteId)] === 'passed' ? view[quizPassedOnAttribute(siteId)] : undefined;
  const quiz: QuizRecord = {
    quizId: newId('quiz'),
    personId: view.personId,
    siteId,
    notice: safety.notice,
    questions: pickQuestions(safety.questions, randomInt),
    status: 'pending',
    attempts: 0,
    createdAt: deps.clock.now().toISOString(),
  };
  return (await deps.quizzes.open(tenantId, quiz, view, renewing)) ? quiz : undefined;
}

/** Quizzes as the gates' site inductions (the port gates are handed by the composition root). */
export const quizInductions = (deps: Pick<QuizDeps, 'quizzes' | 'clock'>): SiteInductions => ({
  openOnArrival: (tenantId, view, siteId) => openQuizOnArrival(deps, tenantId, view, siteId),
});

export async function findQuiz(deps: Pick<QuizDeps, 'quizzes'>, principal: Principal, quizId: string) {
  const quiz = /^quiz_[0-9A-Za-z]{10,40}$/.test(quizId)
    ? await deps.quizzes.get(principal.tenantId, quizId)
    : undefined;
  if (!quiz || !mayTake(principal, quiz)) throw new NotFound('quiz_not_found');
  return quiz;
}

/** The person, HR and admins see all; a site manager those of their sites (404 where none). */
export async function quizzesOfPerson(
  deps: Pick<QuizDeps, 'quizzes'>,
  principal: Principal,
  personId: string,
) {
  const all = await deps.quizzes.quizzesOf(principal.tenantId, personId);
  const seesAll =
    principal.personId === personId || principal.role === 'group_admin' || principal.role === 'hr';
  const items = seesAll ? all : all?.filter((q) => responsibleFor(principal, q));
  if (!items || (!seesAll && items.length === 0)) throw new NotFound('person_not_found');
  return items;
}

/** Grades an attempt; a pass opens the site's gates to the person. */
export async function answerQuiz(
  deps: Pick<QuizDeps, 'quizzes'>,
  principal: Principal,
  quizId: string,
  answers: Parameters<typeof gradeQuiz>[1],
  requestId: string,
) {
  const quiz = await findQuiz(deps, principal, quizId);
  if (quiz.status === 'passed') throw new Conflict('quiz_already_passed');
  if (needsSupervision(quiz.attempts, responsibleFor(principal, quiz)))
    throw new Conflict('quiz_needs_supervision', { attempts: String(quiz.attempts) });
  const grade = gradeQuiz(quiz.questions, answers);
  if (!grade.ok)
    throw new InvalidRequest('validation_failed', [
      { field: 'answers', code: grade.problem, message: grade.problem },
    ]);
  const after = await deps.quizzes.recordAttempt(principal, quiz, grade, requestId);
  return {
    quizId: quiz.quizId,
    siteId: quiz.siteId,
    passed: grade.passed,
    total: grade.total,
    attempts: after.attempts,
    status: after.status,
  };
}
