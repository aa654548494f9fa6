// Site safety notice and quiz (SPEC X5): what a site sets, what a worker sees and answers.
import * as z from 'zod';
import { id } from './common.ts';

export const QuizId = id('quiz');
export const QUIZ_LENGTH = 3;

const Question = z.strictObject({
  questionId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}$/)
    .optional()
    .meta({ description: 'Stable id; generated when absent' }),
  text: z.string().trim().min(5).max(500),
  options: z.array(z.string().trim().min(1).max(200)).min(2).max(6),
  answer: z.number().int().min(0).meta({ description: 'Index of the correct option' }),
});

export const SiteSafetyBody = z
  .strictObject({
    notice: z
      .string()
      .trim()
      .min(10)
      .max(5000)
      .meta({ description: 'The site safety notice every newcomer receives' }),
    questions: z
      .array(Question)
      .min(QUIZ_LENGTH)
      .max(50)
      .meta({ description: `A pool of situational questions; each quiz draws ${QUIZ_LENGTH}` }),
    quizRequired: z
      .boolean()
      .meta({ description: 'Gates deny entry (quiz_required) until the quiz is passed' }),
    quizValidDays: z
      .number()
      .int()
      .min(1)
      .max(3 * 365)
      .optional()
      .meta({
        description:
          'A passed quiz counts for this many days (365: an annual induction); then the next arrival brings a new quiz',
      }),
  })
  .superRefine((s, ctx) => {
    s.questions.forEach((q, i) => {
      if (q.answer >= q.options.length)
        ctx.addIssue({ code: 'custom', path: ['questions', i, 'answer'], message: 'answer_out_of_range' });
    });
    const ids = s.questions.map((q) => q.questionId).filter(Boolean);
    if (new Set(ids).size !== ids.length)
      ctx.addIssue({ code: 'custom', path: ['questions'], message: 'duplicate_question_id' });
  })
  .meta({ id: 'SiteSafetyBody' });

export const SiteSafety = z
  .object({
    siteId: z.string(),
    notice: z.string(),
    questions: z.array(
      z.object({
        questionId: z.string(),
        text: z.string(),
        options: z.array(z.string()),
        answer: z.number(),
      }),
    ),
    quizRequired: z.boolean(),
    quizValidDays: z.number().int().optional(),
    updatedAt: z.string(),
  })
  .meta({ id: 'SiteSafety' });

export const Quiz = z
  .object({
    quizId: QuizId,
    personId: z.string(),
    siteId: z.string(),
    notice: z.string(),
    questions: z.array(z.object({ questionId: z.string(), text: z.string(), options: z.array(z.string()) })),
    status: z.enum(['pending', 'passed']),
    attempts: z.number().int(),
    createdAt: z.string(),
    passedAt: z.string().optional(),
  })
  .meta({ id: 'Quiz', description: 'A quiz as its taker sees it (no answers)' });

export const PersonQuizzes = z
  .object({
    items: z.array(
      z.object({
        siteId: z.string(),
        quizId: z.string().optional(),
        status: z.enum(['pending', 'passed']),
        passedOn: z.string().optional(),
      }),
    ),
  })
  .meta({ id: 'PersonQuizzes', description: 'A person’s site quizzes, one per site' });

export const QuizAnswersBody = z
  .strictObject({
    answers: z
      .array(
        z.strictObject({ questionId: z.string().min(1).max(40), choice: z.number().int().min(0).max(5) }),
      )
      .length(QUIZ_LENGTH),
  })
  .meta({ id: 'QuizAnswersBody' });

export const QuizResult = z
  .object({
    quizId: z.string(),
    siteId: z.string(),
    passed: z.boolean(),
    total: z.number().int(),
    attempts: z.number().int(),
    status: z.enum(['pending', 'passed']),
  })
  .meta({ id: 'QuizResult' });
