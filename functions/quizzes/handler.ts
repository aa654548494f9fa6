// A site quiz, taken by the person on their phone or with a manager at the gate (X5).
import { answerQuiz, getQuiz, listPersonQuizzes } from '../../schemas/routes/quizzes.ts';
import { quizStore } from '../composition-root.ts';
import type { Principal } from '../shared/auth/principal.ts';
import { Conflict, InvalidRequest, NotFound } from '../shared/errors.ts';
import { httpHandler, on } from '../shared/http/handler.ts';
import { gradeQuiz, needsSupervision } from './quiz.ts';
import type { QuizRecord } from './quiz-store.ts';

const quizzes = quizStore();

/** HR and group admins, or a manager of the quiz's site: they may administer it. */
function responsibleFor(principal: Principal, quiz: { siteId: string }): boolean {
  if (principal.role === 'group_admin' || principal.role === 'hr') return true;
  return principal.role === 'site_manager' && principal.siteIds.includes(quiz.siteId);
}

/** The taker themself, or someone responsible for the site; anyone else gets 404. */
function mayTake(principal: Principal, quiz: QuizRecord): boolean {
  return principal.personId === quiz.personId || responsibleFor(principal, quiz);
}

async function findQuiz(principal: Principal, quizId: string): Promise<QuizRecord> {
  const quiz = /^quiz_[0-9A-Za-z]{10,40}$/.test(quizId)
    ? await quizzes.get(principal.tenantId, quizId)
    : undefined;
  if (!quiz || !mayTake(principal, quiz)) throw new NotFound('quiz_not_found');
  return quiz;
}

const takerView = ({ questions, ...quiz }: QuizRecord) => ({
  quizId: quiz.quizId,
  personId: quiz.personId,
  siteId: quiz.siteId,
  notice: quiz.notice,
  questions: questions.map(({ questionId, text, options }) => ({ questionId, text, options })),
  status: quiz.status,
  attempts: quiz.attempts,
  createdAt: quiz.createdAt,
  ...(quiz.passedAt ? { passedAt: quiz.passedAt } : {}),
});

export const handler = httpHandler([
  on(listPersonQuizzes, async ({ principal, params }) => {
    const personId = params.personId ?? '';
    const all = await quizzes.quizzesOf(principal.tenantId, personId);
    // The person, HR and admins see all; a site manager those of their sites, and a 404
    // (as for any person outside their scope) where there are none.
    const seesAll =
      principal.personId === personId || principal.role === 'group_admin' || principal.role === 'hr';
    const items = seesAll ? all : all?.filter((q) => responsibleFor(principal, q));
    if (!items || (!seesAll && items.length === 0)) throw new NotFound('person_not_found');
    return { status: 200, body: { items } };
  }),
  on(getQuiz, async ({ principal, params }) => {
    return { status: 200, body: takerView(await findQuiz(principal, params.quizId ?? '')) };
  }),
  on(answerQuiz, async ({ principal, params, body, requestId }) => {
    const quiz = await findQuiz(principal, params.quizId ?? '');
    if (quiz.status === 'passed') throw new Conflict('quiz_already_passed');
    if (needsSupervision(quiz.attempts, responsibleFor(principal, quiz)))
      throw new Conflict('quiz_needs_supervision', { attempts: String(quiz.attempts) });
    const grade = gradeQuiz(quiz.questions, body.answers);
    if (!grade.ok)
      throw new InvalidRequest('validation_failed', [
        { field: 'answers', code: grade.problem, message: grade.problem },
      ]);
    const after = await quizzes.recordAttempt(principal, quiz, grade, requestId);
    return {
      status: 200,
      body: {
        quizId: quiz.quizId,
        siteId: quiz.siteId,
        passed: grade.passed,
        total: grade.total,
        attempts: after.attempts,
        status: after.status,
      },
    };
  }),
]);
