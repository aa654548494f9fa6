// The quizzes function's routes (see schemas/route.ts).
import { PersonQuizzes, Quiz, QuizAnswersBody, QuizResult } from '../quizzes.ts';
import { route } from '../route.ts';

export const getQuiz = route({
  operationId: 'getQuiz',
  method: 'GET',
  path: '/quizzes/{quizId}',
  capability: 'quizzes',
  auth: true,
  summary: 'A site quiz as its taker sees it: the notice and three questions (the person, or a manager)',
  responses: { 200: { description: 'The quiz', schema: Quiz } },
});

export const listPersonQuizzes = route({
  operationId: 'listPersonQuizzes',
  method: 'GET',
  path: '/people/{personId}/quizzes',
  capability: 'quizzes',
  auth: true,
  summary:
    'A person’s site quizzes (pending or passed), to administer one at the gate (the person, HR, admins, the site’s managers)',
  responses: { 200: { description: 'Quizzes', schema: PersonQuizzes } },
});

export const answerQuiz = route({
  operationId: 'answerQuiz',
  method: 'POST',
  path: '/quizzes/{quizId}/answers',
  capability: 'quizzes',
  auth: true,
  summary: 'Grade an attempt: all three right passes and opens the site’s gates to the person',
  body: QuizAnswersBody,
  responses: { 200: { description: 'The grade', schema: QuizResult } },
});
