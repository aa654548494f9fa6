// The site safety quiz (SPEC X5), pure: which questions a newcomer gets and how answers
// are graded. A quiz passes only with every answer right: it is about safety, and the
// taker may try again as often as needed.
import { QUIZ_LENGTH } from '../../schemas/quizzes.ts';

export interface QuizQuestion {
  questionId: string;
  text: string;
  options: string[];
  answer: number;
}

/** `count` distinct questions drawn from the pool (Fisher–Yates on a copy). */
export function pickQuestions(
  pool: QuizQuestion[],
  random: (maxExclusive: number) => number,
  count = QUIZ_LENGTH,
): QuizQuestion[] {
  const copy = [...pool];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = random(i + 1);
    [copy[i], copy[j]] = [copy[j] as QuizQuestion, copy[i] as QuizQuestion];
  }
  return copy.slice(0, count);
}

/** Failed attempts a person may make alone; then the quiz is taken with the site's safety staff. */
export const MAX_SELF_ATTEMPTS = 3;

/**
 * Three questions of two or three options can be guessed through: after MAX_SELF_ATTEMPTS
 * failed attempts alone, the next one must be supervised (a manager, HR or an admin submits).
 */
export function needsSupervision(failedAttempts: number, supervised: boolean): boolean {
  return !supervised && failedAttempts >= MAX_SELF_ATTEMPTS;
}

export type Grade =
  | { ok: true; passed: boolean; correct: number; total: number; wrongQuestionIds: string[] }
  | { ok: false; problem: 'answers_mismatch' };

/** Grades one attempt; the answers must name each question of the quiz exactly once. */
export function gradeQuiz(
  questions: QuizQuestion[],
  answers: { questionId: string; choice: number }[],
): Grade {
  const given = new Map(answers.map((a) => [a.questionId, a.choice]));
  if (given.size !== answers.length || given.size !== questions.length)
    return { ok: false, problem: 'answers_mismatch' };
  if (!questions.every((q) => given.has(q.questionId))) return { ok: false, problem: 'answers_mismatch' };
  const wrongQuestionIds = questions
    .filter((q) => given.get(q.questionId) !== q.answer)
    .map((q) => q.questionId);
  const correct = questions.length - wrongQuestionIds.length;
  return {
    ok: true,
    passed: wrongQuestionIds.length === 0,
    correct,
    total: questions.length,
    wrongQuestionIds,
  };
}
