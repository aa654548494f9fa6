// A site quiz, taken by the person on their phone or with a manager at the gate (X5).
import { answerQuiz as answerQuizRoute, getQuiz, listPersonQuizzes } from '../../schemas/routes/quizzes.ts';
import { apiHandler } from '../api-handler.ts';
import { quizStore } from '../composition-root.ts';
import { on } from '../shared/http/handler.ts';
import type { QuizRecord } from './quiz-store.ts';
import { answerQuiz, findQuiz, quizzesOfPerson } from './site-quiz.ts';

const deps = { quizzes: quizStore() };

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

export const handler = apiHandler([
  on(listPersonQuizzes, async ({ principal, params }) => ({
    status: 200,
    body: { items: await quizzesOfPerson(deps, principal, params.personId) },
  })),
  on(getQuiz, async ({ principal, params }) => ({
    status: 200,
    body: takerView(await findQuiz(deps, principal, params.quizId)),
  })),
  on(answerQuizRoute, async ({ principal, params, body, requestId }) => ({
    status: 200,
    body: await answerQuiz(deps, principal, params.quizId, body.answers, requestId),
  })),
]);
